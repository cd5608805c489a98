package errors

import (
	"strconv"
	"unicode/utf8"
)

// maxQuoted is the number of bytes of a caller's value that an error message
// shows. Longer values are cut, so that a 10 MB ID cannot make a 10 MB
// message.
const maxQuoted = 64

// Quote returns s quoted with strconv.Quote for an error message, cut to 64
// bytes on a rune boundary and followed by its full length when it is
// longer.
func Quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}

	// Step back over at most three continuation bytes, so the cut neither
	// splits a valid rune nor drops a run of invalid bytes.
	cut := maxQuoted
	for i := 0; i < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return strconv.Quote(s[:cut]) + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
