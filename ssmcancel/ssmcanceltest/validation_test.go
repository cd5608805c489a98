package ssmcanceltest

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	instanceIDRegexp = regexp.MustCompile(instanceIDPattern)
	documentRegexp   = regexp.MustCompile(documentNamePattern)
	// commandIDRegexp counts code points like the model's length constraint;
	// an invalid UTF-8 byte counts as one, as in utf8.RuneCountInString.
	commandIDRegexp = regexp.MustCompile(`(?s)^.{36}$`)
)

func TestValidInstanceID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"i-12345678", true},
		{"i-0123456789abcdef0", true},
		{"mi-0123456789abcdef0", true},
		{"i-ABC_defg", true},
		{"i-1234567", false},
		{"i-123456789", false},
		{"mi-12345678", false},
		{"i-12345678\n", false},
		{"i-1234567-", false},
		{"I-12345678", false},
		{"i-1234567é", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := validInstanceID(tt.id); got != tt.want {
				t.Errorf("validInstanceID(%q) = %t, want %t", tt.id, got, tt.want)
			}
		})
	}
}

func FuzzConstraints(f *testing.F) {
	for _, seed := range []string{
		"i-12345678", "i-0123456789abcdef0", "mi-0123456789abcdef0", "i-12345678\n", "mi-1234567",
		"i-é2345678", "AWS-RunShellScript", "ab", strings.Repeat("x", 128), strings.Repeat("x", 129),
		"00000000-0000-4000-8000-000000000000", strings.Repeat("é", 36), "\xff" + strings.Repeat("a", 35),
	} {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validInstanceID(s), instanceIDRegexp.MatchString(s); got != want {
			t.Errorf("validInstanceID(%q) = %t, regexp says %t", s, got, want)
		}
		if got, want := validDocumentName(s), documentRegexp.MatchString(s); got != want {
			t.Errorf("validDocumentName(%q) = %t, regexp says %t", s, got, want)
		}

		id := s
		violations := checkCommandID(nil, &id)
		if got, want := len(violations) == 0, commandIDRegexp.MatchString(s); got != want {
			t.Errorf("checkCommandID(%q) accepts = %t, regexp says %t (%d code points)", s, got, want, utf8.RuneCountInString(s))
		}
	})
}

func TestValidationMessage(t *testing.T) {
	got := validationMessage([]violation{nullValue("commandId"), {quoted("x"), "documentName", "Member must have length greater than or equal to 3"}})

	want := "2 validation errors detected: Value null at 'commandId' failed to satisfy constraint: Member must not be null; " +
		"Value 'x' at 'documentName' failed to satisfy constraint: Member must have length greater than or equal to 3"
	if got != want {
		t.Errorf("validationMessage() =\n%s\nwant\n%s", got, want)
	}
}
