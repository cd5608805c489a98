package errors

import "strconv"

// ValidationError reports a request member that breaks a constraint of the
// CancelCommand API. The validate package returns it before any request is
// sent; errors.Is matches it against its sentinel, Err.
type ValidationError struct {
	// Field is the API member name: "CommandId" or "InstanceIds".
	Field string

	// Index is the position of the element in an InstanceIds list, or -1
	// when the error is about the member as a whole.
	Index int

	// Value is the rejected value as the caller passed it. It is empty when
	// the error is about the member as a whole, such as a list that is too
	// long.
	Value string

	// Reason is the constraint that Value breaks and how to fix it.
	Reason string

	// Err is the sentinel the error unwraps to, such as ErrInvalidCommandID.
	Err error
}

// Error returns a message of the form
// `invalid InstanceIds[3] "i-123": <reason>`, with long values shortened.
func (e *ValidationError) Error() string {
	msg := "invalid " + e.Field
	if e.Index >= 0 {
		msg += "[" + strconv.Itoa(e.Index) + "]"
	}
	if e.Value != "" || e.Index >= 0 {
		msg += " " + Quote(e.Value)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrInvalidInstanceID)
// and the like hold.
func (e *ValidationError) Unwrap() error { return e.Err }
