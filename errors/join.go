package errors

import (
	"strconv"
	"strings"
)

// maxJoined is the number of errors whose text a joined error's message
// shows.
const maxJoined = 10

// Join returns an error that wraps the non-nil errors in errs, or nil when
// there are none, and a single error as it is. Unlike the standard
// errors.Join, the message shows only the first 10 errors, one per line,
// and then how many more there are, so that a list of 100,000 bad IDs does
// not make a message of megabytes. Unwrap still returns every error.
func Join(errs ...error) error {
	var nonNil []error
	for _, err := range errs {
		if err != nil {
			nonNil = append(nonNil, err)
		}
	}
	switch len(nonNil) {
	case 0:
		return nil
	case 1:
		return nonNil[0]
	}
	return joinError(nonNil)
}

type joinError []error

func (e joinError) Error() string {
	var b strings.Builder
	for i, err := range e {
		if i == maxJoined {
			b.WriteString("\n... and " + strconv.Itoa(len(e)-maxJoined) + " more")
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

func (e joinError) Unwrap() []error { return e }
