package validate_test

import (
	"errors"
	"fmt"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/validate"
)

func ExampleInstanceID() {
	for _, id := range []string{
		"i-1234abcd",
		"i-0123456789abcdef0",
		"mi-0123456789abcdef0",
		"i-0b8185eca982369a",
		"i-1234abcd\n",
	} {
		fmt.Printf("%-24q %v\n", id, validate.InstanceID(id) == nil)
	}
	// Output:
	// "i-1234abcd"             true
	// "i-0123456789abcdef0"    true
	// "mi-0123456789abcdef0"   true
	// "i-0b8185eca982369a"     false
	// "i-1234abcd\n"           false
}

func ExampleInstanceIDs() {
	err := validate.InstanceIDs([]string{"i-1234abcd", "i-12", "i-1234abcd"})
	fmt.Println(err)
	fmt.Println(errors.Is(err, ssmerrors.ErrInvalidInstanceID), errors.Is(err, ssmerrors.ErrDuplicateInstanceID))
	// Output:
	// invalid InstanceIds[1] "i-12": has 2 characters after "i-"; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17
	// invalid InstanceIds[2] "i-1234abcd": repeats InstanceIds[0]; list each node once
	// true true
}

func ExampleCommandID() {
	err := validate.CommandID("abc")
	var v *ssmerrors.ValidationError
	if errors.As(err, &v) {
		fmt.Println(v.Field, v.Index, v.Value, errors.Is(err, ssmerrors.ErrInvalidCommandID))
	}
	// Output:
	// CommandId -1 abc true
}
