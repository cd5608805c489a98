// Package errors defines the errors that ssmcancel returns: sentinel values
// for errors.Is, a ValidationError for input rejected before any request is
// sent, and a ServiceError for a failure reported by AWS Systems Manager.
//
// Its name matches the standard library's errors package, so import it under
// an alias:
//
//	import ssmerrors "github.com/ssmkit/ssmcancel/errors"
//
// A client-side check and the service report the same fault with the same
// sentinel. A command ID of the wrong length matches ErrInvalidCommandID
// whether the validate package rejected it or the service returned
// ValidationException, so callers write one errors.Is check for both.
package errors

import "errors"

// Sentinel errors. Match them with errors.Is; the errors returned by ssmcancel
// wrap them and never equal them.
var (
	// ErrInvalidCommandID reports a command ID that is malformed or that the
	// service does not know in this account and Region.
	ErrInvalidCommandID = errors.New("invalid command ID")

	// ErrInvalidInstanceID reports a managed node ID that is malformed, or a
	// node that the command was not sent to, that is not managed, or that
	// is no longer running.
	ErrInvalidInstanceID = errors.New("invalid instance ID")

	// ErrTooManyInstanceIDs reports a CancelCommand request with more than
	// MaxInstanceIDs node IDs.
	ErrTooManyInstanceIDs = errors.New("too many instance IDs")

	// ErrDuplicateInstanceID reports a node ID listed more than once.
	ErrDuplicateInstanceID = errors.New("duplicate instance ID")

	// ErrInternalServer reports a server-side failure: InternalServerError,
	// InternalFailure, or any HTTP 5xx response without a known error code.
	ErrInternalServer = errors.New("internal server error")

	// ErrThrottled reports a request rejected because the caller exceeded the
	// service's request rate.
	ErrThrottled = errors.New("request throttled")

	// ErrAccessDenied reports a request rejected for its credentials, its
	// signature or missing permissions.
	ErrAccessDenied = errors.New("access denied")

	// ErrValidation reports a ValidationException that names no member and
	// constraint with a more specific sentinel.
	ErrValidation = errors.New("request failed validation")

	// ErrNotFinished reports a wait that ended before every invocation
	// reached a terminal status. The error that carries it also matches the
	// context error that ended the wait.
	ErrNotFinished = errors.New("not every invocation reached a terminal status")
)
