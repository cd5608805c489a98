package validate_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/validate"
)

const validCommandID = "0b9f6e02-8a3c-4a1b-9c1e-2d5f8e7a6b4c"

// fault is the part of a *ssmerrors.ValidationError that tests compare:
// the field, index, value and sentinel, not the wording of the reason.
type fault struct {
	Field    string
	Index    int
	Value    string
	Sentinel string
}

var sentinelNames = map[error]string{
	ssmerrors.ErrInvalidCommandID:    "ErrInvalidCommandID",
	ssmerrors.ErrInvalidInstanceID:   "ErrInvalidInstanceID",
	ssmerrors.ErrTooManyInstanceIDs:  "ErrTooManyInstanceIDs",
	ssmerrors.ErrDuplicateInstanceID: "ErrDuplicateInstanceID",
}

// faults flattens err, a ValidationError or a join of them, into faults.
func faults(t *testing.T, err error) []fault {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	} else {
		errs = []error{err}
	}

	var got []fault
	for _, e := range errs {
		var v *ssmerrors.ValidationError
		if !errors.As(e, &v) {
			t.Fatalf("error %v is not a *ValidationError", e)
		}
		if v.Reason == "" {
			t.Errorf("error %v has no reason", e)
		}
		got = append(got, fault{v.Field, v.Index, v.Value, sentinelNames[v.Err]})
	}
	return got
}

func TestCommandID(t *testing.T) {
	tests := []struct {
		name string
		id   string
		want []fault
	}{
		{"uuid", validCommandID, nil},
		{"36 any characters", strings.Repeat("x", 36), nil},
		{"36 multi-byte characters", strings.Repeat("é", 36), nil},
		{"36 four-byte characters", strings.Repeat("😀", 36), nil},
		{"empty", "", []fault{{"CommandId", -1, "", "ErrInvalidCommandID"}}},
		{"35 characters", validCommandID[:35], []fault{{"CommandId", -1, validCommandID[:35], "ErrInvalidCommandID"}}},
		{"37 characters", validCommandID + "0", []fault{{"CommandId", -1, validCommandID + "0", "ErrInvalidCommandID"}}},
		{"36 bytes 35 characters", "é" + validCommandID[:34], []fault{{"CommandId", -1, "é" + validCommandID[:34], "ErrInvalidCommandID"}}},
		{"invalid UTF-8", "\xff" + validCommandID[:35], []fault{{"CommandId", -1, "\xff" + validCommandID[:35], "ErrInvalidCommandID"}}},
		{"leading space", " " + validCommandID[:35], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := faults(t, validate.CommandID(tt.id))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CommandID(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestInstanceID(t *testing.T) {
	tests := []struct {
		name  string
		id    string
		valid bool
	}{
		{"i- with 8", "i-1234abcd", true},
		{"i- with 17", "i-0123456789abcdef0", true},
		{"i- with 16", "i-0b8185eca982369a", false},
		{"i- with 9", "i-1234abcde", false},
		{"i- with 7", "i-1234abc", false},
		{"i- with 18", "i-0123456789abcdef01", false},
		{"mi- with 17", "mi-0123456789abcdef0", true},
		{"mi- with 8", "mi-1234abcd", false},
		{"mi- with 16", "mi-0123456789abcdef", false},
		{"upper case", "i-ABCDEFGH", true},
		{"underscore", "i-abcd_efg", true},
		{"trailing newline", "i-1234abcd\n", false},
		{"trailing newline in 8", "i-1234abc\n", false},
		{"leading space", " i-1234abcd", false},
		{"hyphen inside", "i-1234-bcd", false},
		{"upper case prefix", "I-1234abcd", false},
		{"non-ASCII letter", "i-1234abcé", false},
		{"empty", "", false},
		{"prefix only", "i-", false},
		{"managed prefix only", "mi-", false},
		{"other prefix", "x-1234abcd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []fault
			if !tt.valid {
				want = []fault{{"InstanceIds", -1, tt.id, "ErrInvalidInstanceID"}}
			}
			got := faults(t, validate.InstanceID(tt.id))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("InstanceID(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

// nodeIDs returns n distinct valid instance IDs.
func nodeIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%017x", i+1)
	}
	return ids
}

func TestInstanceIDs(t *testing.T) {
	fifty := nodeIDs(50)
	fiftyOne := nodeIDs(51)
	repeatedLast := append(nodeIDs(49), nodeIDs(1)[0])

	tests := []struct {
		name string
		ids  []string
		want []fault
	}{
		{"nil", nil, nil},
		{"empty", []string{}, nil},
		{"one", []string{"i-1234abcd"}, nil},
		{"fifty", fifty, nil},
		{
			name: "fifty-one",
			ids:  fiftyOne,
			want: []fault{{"InstanceIds", -1, "", "ErrTooManyInstanceIDs"}},
		},
		{
			name: "duplicate",
			ids:  []string{"i-1234abcd", "i-99999999", "i-1234abcd"},
			want: []fault{{"InstanceIds", 2, "i-1234abcd", "ErrDuplicateInstanceID"}},
		},
		{
			name: "duplicate at the end of fifty",
			ids:  repeatedLast,
			want: []fault{{"InstanceIds", 49, repeatedLast[49], "ErrDuplicateInstanceID"}},
		},
		{
			name: "three copies",
			ids:  []string{"i-1234abcd", "i-1234abcd", "i-1234abcd"},
			want: []fault{
				{"InstanceIds", 1, "i-1234abcd", "ErrDuplicateInstanceID"},
				{"InstanceIds", 2, "i-1234abcd", "ErrDuplicateInstanceID"},
			},
		},
		{
			name: "every bad element with its index",
			ids:  []string{"i-1234abcd", "i-0b8185eca982369a", "i-1234abcd", " i-1234abcd", "mi-1234abcd"},
			want: []fault{
				{"InstanceIds", 1, "i-0b8185eca982369a", "ErrInvalidInstanceID"},
				{"InstanceIds", 2, "i-1234abcd", "ErrDuplicateInstanceID"},
				{"InstanceIds", 3, " i-1234abcd", "ErrInvalidInstanceID"},
				{"InstanceIds", 4, "mi-1234abcd", "ErrInvalidInstanceID"},
			},
		},
		{
			name: "too many and bad elements",
			ids:  append(nodeIDs(50), "bad"),
			want: []fault{
				{"InstanceIds", -1, "", "ErrTooManyInstanceIDs"},
				{"InstanceIds", 50, "bad", "ErrInvalidInstanceID"},
			},
		},
		{
			name: "same tail different length",
			ids:  []string{"i-12345678", "i-00000000012345678", "mi-00000000012345678"},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.ids)
			got := faults(t, validate.InstanceIDs(tt.ids))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("InstanceIDs(%q) mismatch (-want +got):\n%s", tt.ids, diff)
			}
			if diff := cmp.Diff(before, tt.ids); diff != "" {
				t.Errorf("InstanceIDs changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestInstanceIDsCollidingTails(t *testing.T) {
	// Every ID ends in the same eight bytes, so all share one hash slot and
	// the set falls back to comparing strings.
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%09d12345678", i)
	}
	if err := validate.InstanceIDs(ids); err != nil {
		t.Errorf("InstanceIDs(colliding tails) = %v, want nil", err)
	}

	ids[49] = ids[7]
	want := []fault{{"InstanceIds", 49, ids[7], "ErrDuplicateInstanceID"}}
	if diff := cmp.Diff(want, faults(t, validate.InstanceIDs(ids))); diff != "" {
		t.Errorf("InstanceIDs(colliding tails with a repeat) mismatch (-want +got):\n%s", diff)
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "command ID length",
			err:  validate.CommandID("abc"),
			want: `invalid CommandId "abc": has 3 characters, want 36; pass the ID that SendCommand returned`,
		},
		{
			name: "instance ID length",
			err:  validate.InstanceID("i-0b8185eca982369a"),
			want: `invalid InstanceIds "i-0b8185eca982369a": has 16 characters after "i-"; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17`,
		},
		{
			name: "instance ID character",
			err:  validate.InstanceID("i-1234abc\n"),
			want: `invalid InstanceIds "i-1234abc\n": has "\n" at byte 9; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17`,
		},
		{
			name: "instance ID multi-byte character",
			err:  validate.InstanceID("i-é1234567"),
			want: `invalid InstanceIds "i-é1234567": has "é" at byte 2; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17`,
		},
		{
			name: "instance ID invalid byte",
			err:  validate.InstanceID("i-\xff1234567"),
			want: `invalid InstanceIds "i-\xff1234567": has "\xff" at byte 2; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17`,
		},
		{
			name: "duplicate",
			err:  validate.InstanceIDs([]string{"i-1234abcd", "i-1234abcd"}),
			want: `invalid InstanceIds[1] "i-1234abcd": repeats InstanceIds[0]; list each node once`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("got nil error")
			}
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidNoAllocs(t *testing.T) {
	ids := nodeIDs(50)
	multiByte := strings.Repeat("é", 36)
	allocs := testing.AllocsPerRun(100, func() {
		if validate.CommandID(validCommandID) != nil || validate.InstanceIDs(ids) != nil {
			t.Fatal("valid input rejected")
		}
		if validate.CommandID(multiByte) != nil || validate.InstanceID(ids[0]) != nil {
			t.Fatal("valid input rejected")
		}
	})
	if allocs != 0 {
		t.Errorf("validating valid input allocates %v times per run, want 0", allocs)
	}
}

// modelPattern is the InstanceId pattern from the SSM API model, compiled
// with Go's regexp, whose $ matches only at the end of the text and whose
// \w is ASCII.
var modelPattern = regexp.MustCompile(validate.InstanceIDPattern)

func FuzzInstanceID(f *testing.F) {
	for _, seed := range []string{
		"i-1234abcd", "i-0123456789abcdef0", "mi-0123456789abcdef0", "i-0b8185eca982369a",
		"i-1234abcd\n", " i-1234abcd", "i-ABCDEFGH", "i-abcd_efg", "mi-1234abcd", "", "i-", "i-1234abcé",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := modelPattern.MatchString(id)
		err := validate.InstanceID(id)
		if got := err == nil; got != want {
			t.Errorf("InstanceID(%q) = %v, regexp match = %v", id, err, want)
		}
		if err != nil && !errors.Is(err, ssmerrors.ErrInvalidInstanceID) {
			t.Errorf("InstanceID(%q) = %v, does not match ErrInvalidInstanceID", id, err)
		}
	})
}

func FuzzCommandID(f *testing.F) {
	for _, seed := range []string{validCommandID, "", "abc", strings.Repeat("é", 36), "\xff" + validCommandID[:35]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		want := utf8.ValidString(id) && utf8.RuneCountInString(id) == validate.CommandIDLength
		err := validate.CommandID(id)
		if got := err == nil; got != want {
			t.Errorf("CommandID(%q) = %v, want valid = %v", id, err, want)
		}
		if err != nil && !errors.Is(err, ssmerrors.ErrInvalidCommandID) {
			t.Errorf("CommandID(%q) = %v, does not match ErrInvalidCommandID", id, err)
		}
	})
}

// FuzzInstanceIDs compares InstanceIDs with the reference check on a list
// built from the fuzzer's bytes.
func FuzzInstanceIDs(f *testing.F) {
	f.Add("i-1234abcd,i-1234abcd", uint8(0))
	f.Add("i-1234abcd,mi-0123456789abcdef0,bad", uint8(0))
	f.Add("i-1234abcd", uint8(60))
	f.Fuzz(func(t *testing.T, list string, pad uint8) {
		ids := strings.Split(list, ",")
		ids = append(ids, nodeIDs(int(pad))...)

		want := referenceInstanceIDs(ids)
		got := validate.InstanceIDs(ids)
		if (got == nil) != (want == nil) {
			t.Fatalf("InstanceIDs(%q) = %v, reference = %v", ids, got, want)
		}
		for _, sentinel := range []error{ssmerrors.ErrInvalidInstanceID, ssmerrors.ErrDuplicateInstanceID, ssmerrors.ErrTooManyInstanceIDs} {
			if errors.Is(got, sentinel) != errors.Is(want, sentinel) {
				t.Errorf("InstanceIDs(%q): errors.Is(%v) = %v, reference %v", ids, sentinel, errors.Is(got, sentinel), errors.Is(want, sentinel))
			}
		}
	})
}

// referenceInstanceIDs is the straightforward check: the model's regexp for
// each element and a map for repeats.
func referenceInstanceIDs(ids []string) error {
	var errs []error
	if len(ids) > validate.MaxInstanceIDs {
		errs = append(errs, ssmerrors.ErrTooManyInstanceIDs)
	}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		switch {
		case !modelPattern.MatchString(id):
			errs = append(errs, ssmerrors.ErrInvalidInstanceID)
		case seen[id]:
			errs = append(errs, ssmerrors.ErrDuplicateInstanceID)
		default:
			seen[id] = true
		}
	}
	return errors.Join(errs...)
}

func referenceCommandID(id string) error {
	if !utf8.ValidString(id) || utf8.RuneCountInString(id) != validate.CommandIDLength {
		return ssmerrors.ErrInvalidCommandID
	}
	return nil
}

// BenchmarkValidate compares the package with the straightforward check on
// a 36-character command ID and 50 valid instance IDs.
func BenchmarkValidate(b *testing.B) {
	ids := nodeIDs(50)
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if validate.CommandID(validCommandID) != nil || validate.InstanceIDs(ids) != nil {
				b.Fatal("valid input rejected")
			}
		}
	})
	b.Run("regexp-reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if referenceCommandID(validCommandID) != nil || referenceInstanceIDs(ids) != nil {
				b.Fatal("valid input rejected")
			}
		}
	})
}

// TestInstanceIDEveryByte puts each of the 256 byte values at each position
// of valid 8- and 17-character IDs and compares the result with the model's
// regexp.
func TestInstanceIDEveryByte(t *testing.T) {
	for _, base := range []string{"i-1234abcd", "i-0123456789abcdef0", "mi-0123456789abcdef0"} {
		for pos := 0; pos < len(base); pos++ {
			for b := 0; b < 256; b++ {
				id := base[:pos] + string([]byte{byte(b)}) + base[pos+1:]
				want := modelPattern.MatchString(id)
				if got := validate.InstanceID(id) == nil; got != want {
					t.Errorf("InstanceID(%q) valid = %v, regexp match = %v", id, got, want)
				}
			}
		}
	}
}

func TestInstanceIDsLongListMessage(t *testing.T) {
	ids := make([]string, 100_000)
	for i := range ids {
		ids[i] = "bad"
	}
	err := validate.InstanceIDs(ids)
	if got := len(faults(t, err)); got != len(ids)+1 {
		t.Errorf("InstanceIDs(100,000 bad IDs) has %d faults, want %d", got, len(ids)+1)
	}
	if n := len(err.Error()); n > 4096 {
		t.Errorf("InstanceIDs(100,000 bad IDs) message has %d bytes, want at most 4096", n)
	}
}
