package validate

// wordBytes holds 1 for the bytes that \w matches in the model's pattern:
// ASCII letters, digits and the underscore.
var wordBytes = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 1
		t[c-'a'+'A'] = 1
	}
	t['_'] = 1
	return t
}()

func isWordByte(c byte) bool { return wordBytes[c] == 1 }

// isInstanceID reports whether id matches InstanceIDPattern, without the
// cost of a regular expression.
func isInstanceID(id string) bool {
	var rest string
	switch len(id) {
	case len("i-") + 8, len("i-") + 17:
		if id[0] != 'i' || id[1] != '-' {
			return false
		}
		rest = id[2:]
	case len("mi-") + 17:
		if id[0] != 'm' || id[1] != 'i' || id[2] != '-' {
			return false
		}
		rest = id[3:]
	default:
		return false
	}

	// Check eight bytes at a time, then the one byte left of a 17-byte
	// suffix.
	ok := true
	for len(rest) >= 8 {
		ok = ok && isWordBlock(load64(rest))
		rest = rest[8:]
	}
	for i := 0; i < len(rest); i++ {
		ok = ok && isWordByte(rest[i])
	}
	return ok
}

// isWordBlock reports whether all eight bytes packed in v match \w. It
// tests the four byte ranges of \w in each byte at once: for a byte b below
// 0x80, b + 0x80 - lo has its high bit set when b >= lo, and b + 0x7f - hi
// has it set when b > hi, and neither sum carries into the next byte.
func isWordBlock(v uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	if v&highs != 0 {
		return false
	}
	digit := (v + (0x80-'0')*ones) &^ (v + (0x7f-'9')*ones)
	upper := (v + (0x80-'A')*ones) &^ (v + (0x7f-'Z')*ones)
	lower := (v + (0x80-'a')*ones) &^ (v + (0x7f-'z')*ones)
	underscore := (v + (0x80-'_')*ones) &^ (v + (0x7f-'_')*ones)
	return (digit|upper|lower|underscore)&highs == highs
}

// load64 returns the first eight bytes of s, little-endian.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func isASCII(s string) bool {
	var bits byte
	for i := 0; i < len(s); i++ {
		bits |= s[i]
	}
	return bits < 0x80
}

// tableBits sets the number of slots in the hash set of InstanceIDs,
// 1<<tableBits: a power of two above twice MaxInstanceIDs.
const (
	tableBits = 7
	tableSize = 1 << tableBits
)

// hashInstanceID returns a slot for a valid instance ID, from its last
// eight bytes, which are the random part of the ID.
func hashInstanceID(id string) uint {
	v := load64(id[len(id)-8:]) ^ uint64(len(id))
	return uint((v * 0x9e3779b97f4a7c15) >> (64 - tableBits))
}
