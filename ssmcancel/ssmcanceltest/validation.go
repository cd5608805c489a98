package ssmcanceltest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Constraints of the SSM model (API version 2014-11-06) that the server
// checks itself. It deliberately does not use this module's validate package,
// so a bug there cannot hide behind the same bug here.
const (
	commandIDLength     = 36
	maxInstanceIDs      = 50
	minMaxResults       = 1
	maxMaxResults       = 50
	instanceIDPattern   = `(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`
	documentNamePattern = `^[a-zA-Z0-9_\-.:/]{3,128}$`
	maxCommentLength    = 100
	minTimeoutSeconds   = 30
	maxTimeoutSeconds   = 2592000
	minPluginNameLength = 4
	maxPluginNameLength = 500
)

// violation is one broken constraint, rendered in the service's words:
// "Value <value> at '<member>' failed to satisfy constraint: <constraint>".
type violation struct {
	value      string // already quoted, or the bare word null
	member     string // lowerCamel member name
	constraint string
}

func (v violation) String() string {
	return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", v.value, v.member, v.constraint)
}

// validationMessage joins violations the way the service does:
// "2 validation errors detected: <first>; <second>".
func validationMessage(violations []violation) string {
	noun := "errors"
	if len(violations) == 1 {
		noun = "error"
	}

	parts := make([]string, len(violations))
	for i, v := range violations {
		parts[i] = v.String()
	}

	return fmt.Sprintf("%d validation %s detected: %s", len(violations), noun, strings.Join(parts, "; "))
}

func quoted(s string) string { return "'" + s + "'" }

// quotedList renders a list the way the service's Java front end does.
func quotedList(items []string) string {
	return "'[" + strings.Join(items, ", ") + "]'"
}

func nullValue(member string) violation {
	return violation{value: "null", member: member, constraint: "Member must not be null"}
}

// checkLength appends a violation when s has fewer than minLen or more than
// maxLen Unicode code points.
func checkLength(violations []violation, member, s string, minLen, maxLen int) []violation {
	n := utf8.RuneCountInString(s)
	switch {
	case n < minLen:
		return append(violations, violation{quoted(s), member, fmt.Sprintf("Member must have length greater than or equal to %d", minLen)})
	case n > maxLen:
		return append(violations, violation{quoted(s), member, fmt.Sprintf("Member must have length less than or equal to %d", maxLen)})
	}

	return violations
}

// checkCommandID checks a required CommandId: exactly 36 code points.
func checkCommandID(violations []violation, id *string) []violation {
	if id == nil {
		return append(violations, nullValue("commandId"))
	}

	return checkLength(violations, "commandId", *id, commandIDLength, commandIDLength)
}

// checkInstanceIDList checks a list of instance IDs: at most maxItems items,
// each matching instanceIDPattern. Like the service, it reports one violation
// for all bad elements together.
func checkInstanceIDList(violations []violation, ids []string, maxItems int) []violation {
	if len(ids) > maxItems {
		violations = append(violations, violation{quotedList(ids), "instanceIds",
			fmt.Sprintf("Member must have length less than or equal to %d", maxItems)})
	}

	for _, id := range ids {
		if !validInstanceID(id) {
			violations = append(violations, violation{quotedList(ids), "instanceIds",
				"Member must satisfy constraint: [Member must satisfy regular expression pattern: " + instanceIDPattern + "]"})
			break
		}
	}

	return violations
}

// checkInstanceID checks a single instance ID member against instanceIDPattern.
func checkInstanceID(violations []violation, member string, id *string, required bool) []violation {
	if id == nil {
		if required {
			return append(violations, nullValue(member))
		}
		return violations
	}

	if !validInstanceID(*id) {
		violations = append(violations, violation{quoted(*id), member,
			"Member must satisfy regular expression pattern: " + instanceIDPattern})
	}

	return violations
}

// checkMaxResults checks an optional MaxResults against 1..50.
func checkMaxResults(violations []violation, n *int32) []violation {
	switch {
	case n == nil:
		return violations
	case *n < minMaxResults:
		return append(violations, violation{quoted(fmt.Sprint(*n)), "maxResults",
			fmt.Sprintf("Member must have value greater than or equal to %d", minMaxResults)})
	case *n > maxMaxResults:
		return append(violations, violation{quoted(fmt.Sprint(*n)), "maxResults",
			fmt.Sprintf("Member must have value less than or equal to %d", maxMaxResults)})
	}

	return violations
}

// validInstanceID reports whether id matches instanceIDPattern, where \w is
// the ASCII class [0-9A-Za-z_]. It is hand-written so that a 50-node cancel
// runs no regular expression. The fuzz test compares it with
// regexp.MustCompile(instanceIDPattern).
func validInstanceID(id string) bool {
	if rest, ok := strings.CutPrefix(id, "i-"); ok {
		return (len(rest) == 8 || len(rest) == 17) && isWord(rest)
	}
	if rest, ok := strings.CutPrefix(id, "mi-"); ok {
		return len(rest) == 17 && isWord(rest)
	}

	return false
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}

	return true
}

// validDocumentName reports whether name matches documentNamePattern.
func validDocumentName(name string) bool {
	if len(name) < 3 || len(name) > 128 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isWord(name[i:i+1]) && c != '-' && c != '.' && c != ':' && c != '/' {
			return false
		}
	}

	return true
}

// firstDuplicate returns the first ID that occurs twice in ids.
func firstDuplicate(ids []string) (string, bool) {
	seen := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; ok {
			return id, true
		}
		seen[id] = struct{}{}
	}

	return "", false
}
