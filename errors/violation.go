package errors

import "strings"

// Violation is one broken constraint in the message of a ValidationException,
// such as
//
//	Value 'abc' at 'commandId' failed to satisfy constraint: Member must have length greater than or equal to 36
type Violation struct {
	// Value is the value as the service quoted it, without the quotes:
	// "abc", "[i-1, i-2]", or "null" for a missing member.
	Value string

	// Member is the path of the member, such as "commandId", "instanceIds"
	// or "instanceIds.1.member".
	Member string

	// Constraint is the constraint the value breaks, such as "Member must
	// have length less than or equal to 50".
	Constraint string
}

const (
	violationAt     = " at '"
	violationMarker = "' failed to satisfy constraint: "
	violationValue  = "Value "
)

// ParseValidationMessage returns the violations in the standard message of
// a ValidationException:
//
//	2 validation errors detected: Value '…' at 'commandId' failed to satisfy constraint: …; Value '…' at 'instanceIds' failed to satisfy constraint: …
//
// It returns nil for a message in any other form. Values that themselves
// contain "; Value " or "' failed to satisfy constraint: " can make it split
// a violation in the wrong place, because the service does not escape them.
func ParseValidationMessage(message string) []Violation {
	var violations []Violation
	rest := message
	for {
		marker := strings.Index(rest, violationMarker)
		if marker < 0 {
			return violations
		}
		head := rest[:marker]
		at := strings.LastIndex(head, violationAt)
		rest = rest[marker+len(violationMarker):]
		if at < 0 {
			continue
		}

		v := Violation{
			Value:  parseViolationValue(head[:at]),
			Member: head[at+len(violationAt):],
		}

		// The constraint runs to the "; Value …" that starts the next
		// violation, or to the end of the message.
		next := strings.Index(rest, violationMarker)
		if next < 0 {
			v.Constraint = rest
			violations = append(violations, v)
			return violations
		}
		end := violationStart(rest[:next])
		v.Constraint = rest[:end]
		rest = rest[end:]
		violations = append(violations, v)
	}
}

// violationStart returns the offset in segment, the text between one
// violation's marker and the next one's, at which the next violation starts.
func violationStart(segment string) int {
	at := strings.LastIndex(segment, violationAt)
	if at < 0 {
		return len(segment)
	}
	if i := strings.LastIndex(segment[:at], "; "+violationValue); i >= 0 {
		return i
	}
	if i := strings.LastIndex(segment[:at], "; "); i >= 0 {
		return i
	}
	return at
}

// parseViolationValue returns the value in head, the text before " at '",
// such as "1 validation error detected: Value 'v'" or "; Value null".
func parseViolationValue(head string) string {
	i := strings.Index(head, violationValue)
	if i < 0 {
		return ""
	}
	value := head[i+len(violationValue):]
	if len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'' {
		return value[1 : len(value)-1]
	}
	return value
}

// sentinel returns the sentinel for the fault that v reports: the same one
// that the client-side check in package validate returns for it.
func (v Violation) sentinel() error {
	member := strings.ToLower(v.Member)
	root, path, _ := strings.Cut(member, ".")
	constraint := strings.ToLower(v.Constraint)

	switch root {
	case "commandid":
		return ErrInvalidCommandID
	case "instanceid":
		return ErrInvalidInstanceID
	case "instanceids":
		switch {
		case path != "",
			strings.HasPrefix(constraint, "member must satisfy constraint:"),
			strings.Contains(constraint, "regular expression pattern"):
			// A constraint on the elements, not on the list.
			return ErrInvalidInstanceID
		case strings.Contains(constraint, "length less than or equal to"):
			return ErrTooManyInstanceIDs
		}
	}
	return ErrValidation
}
