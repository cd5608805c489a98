// Package validate checks the members of an AWS Systems Manager
// CancelCommand request against the constraints of the service's API model
// (version 2014-11-06), so that a bad request is rejected before it is sent.
//
// Each function returns nil or errors that wrap a *ssmerrors.ValidationError
// (package github.com/ssmkit/ssmcancel/errors) whose sentinel is the one
// that the service's own rejection of the same input maps to. The functions
// do not allocate for valid input and are safe for concurrent use.
package validate

import (
	"strconv"
	"unicode/utf8"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
)

const (
	// CommandIDLength is the length of a command ID in Unicode code points.
	// The model sets both the minimum and the maximum to 36 and gives no
	// pattern, so any 36 characters pass, not only a UUID.
	CommandIDLength = 36

	// MaxInstanceIDs is the maximum number of node IDs in one CancelCommand
	// request.
	MaxInstanceIDs = 50
)

// InstanceIDPattern is the model's pattern for a managed node ID, where \w
// is an ASCII letter, digit or underscore: an EC2 instance ID with 8 or 17
// characters after "i-", or a hybrid managed node ID with 17 after "mi-".
const InstanceIDPattern = `(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)`

const (
	fieldCommandID   = "CommandId"
	fieldInstanceIDs = "InstanceIds"
)

// CommandID checks that id is valid UTF-8 and exactly CommandIDLength
// characters long. A nil result does not mean the command exists.
func CommandID(id string) error {
	if len(id) == CommandIDLength && isASCII(id) {
		return nil
	}

	var reason string
	switch n := utf8.RuneCountInString(id); {
	case !utf8.ValidString(id):
		reason = "is not valid UTF-8; pass the 36-character ID that SendCommand returned"
	case n == CommandIDLength:
		return nil
	case n == 0:
		reason = "is empty; pass the 36-character ID that SendCommand returned"
	default:
		reason = "has " + strconv.Itoa(n) + " characters, want " + strconv.Itoa(CommandIDLength) + "; pass the ID that SendCommand returned"
	}
	return &ssmerrors.ValidationError{
		Field:  fieldCommandID,
		Index:  -1,
		Value:  id,
		Reason: reason,
		Err:    ssmerrors.ErrInvalidCommandID,
	}
}

// InstanceID checks that id matches InstanceIDPattern. The error's Field is
// "InstanceIds" and its Index is -1; InstanceIDs sets the index of each
// element.
func InstanceID(id string) error {
	if isInstanceID(id) {
		return nil
	}
	return instanceIDError(-1, id)
}

// InstanceIDs checks a CancelCommand InstanceIds list: at most
// MaxInstanceIDs elements, each matching InstanceIDPattern, none repeated.
// A nil or empty list is valid, because it means every node the command
// was sent to. The error joins one *ssmerrors.ValidationError for each
// fault: the length of the list first, then each bad or repeated element
// with its index, in list order.
func InstanceIDs(ids []string) error {
	if len(ids) > MaxInstanceIDs {
		return instanceIDsSlow(ids)
	}

	// table is an open-addressing hash set of the IDs seen so far, holding
	// index+1 so that 0 marks a free slot. It stays on the stack, and with at
	// most 50 IDs in 128 slots a probe is short.
	var table [tableSize]uint8
	for i, id := range ids {
		if !isInstanceID(id) {
			return instanceIDsSlow(ids)
		}
		slot := hashInstanceID(id)
		for table[slot] != 0 {
			if ids[table[slot]-1] == id {
				return instanceIDsSlow(ids)
			}
			slot = (slot + 1) % tableSize
		}
		table[slot] = uint8(i + 1)
	}
	return nil
}

// instanceIDsSlow collects every fault in ids. It runs only when ids has at
// least one, so it may allocate.
func instanceIDsSlow(ids []string) error {
	var errs []error
	if len(ids) > MaxInstanceIDs {
		errs = append(errs, &ssmerrors.ValidationError{
			Field:  fieldInstanceIDs,
			Index:  -1,
			Reason: "has " + strconv.Itoa(len(ids)) + " IDs, want at most " + strconv.Itoa(MaxInstanceIDs) + " in one CancelCommand request; split the list, or use ssmcancel's Client.CancelAll",
			Err:    ssmerrors.ErrTooManyInstanceIDs,
		})
	}

	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if !isInstanceID(id) {
			errs = append(errs, instanceIDError(i, id))
			continue
		}
		if j, seen := first[id]; seen {
			errs = append(errs, DuplicateError(i, id, j))
			continue
		}
		first[id] = i
	}
	return ssmerrors.Join(errs...)
}

// DuplicateError returns the error for the element at index that repeats
// the element at firstIndex.
func DuplicateError(index int, id string, firstIndex int) error {
	return &ssmerrors.ValidationError{
		Field:  fieldInstanceIDs,
		Index:  index,
		Value:  id,
		Reason: "repeats InstanceIds[" + strconv.Itoa(firstIndex) + "]; list each node once",
		Err:    ssmerrors.ErrDuplicateInstanceID,
	}
}

func instanceIDError(index int, id string) error {
	return &ssmerrors.ValidationError{
		Field:  fieldInstanceIDs,
		Index:  index,
		Value:  id,
		Reason: instanceIDReason(id),
		Err:    ssmerrors.ErrInvalidInstanceID,
	}
}

// instanceIDReason explains why id does not match InstanceIDPattern.
func instanceIDReason(id string) string {
	const want = `; want "i-" followed by 8 or 17 letters, digits or underscores, or "mi-" followed by 17`
	prefix := ""
	switch {
	case id == "":
		return "is empty" + want
	case len(id) >= 3 && id[:3] == "mi-":
		prefix = "mi-"
	case len(id) >= 2 && id[:2] == "i-":
		prefix = "i-"
	default:
		return "does not start with \"i-\" or \"mi-\"" + want
	}

	rest := id[len(prefix):]
	for i := 0; i < len(rest); {
		if isWordByte(rest[i]) {
			i++
			continue
		}
		// Quote the whole character, or the byte as \xff when it starts
		// no valid UTF-8 sequence.
		_, size := utf8.DecodeRuneInString(rest[i:])
		return "has " + strconv.Quote(rest[i:i+size]) + " at byte " + strconv.Itoa(len(prefix)+i) + want
	}
	return "has " + strconv.Itoa(len(rest)) + " characters after \"" + prefix + "\"" + want
}
