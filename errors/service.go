package errors

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ServiceError reports an error response from AWS Systems Manager, or a
// response that could not be read as one. It unwraps both to the sentinel
// that fits its code, when one does, and to the SDK's error, so that all of
// these hold on the same error:
//
//	errors.Is(err, ssmerrors.ErrInvalidCommandID)
//	errors.As(err, new(*types.InvalidCommandId))
//	errors.As(err, new(*smithy.OperationError))
type ServiceError struct {
	// Operation is the API operation, such as "CancelCommand".
	Operation string

	// Code is the service's error code, such as "InvalidCommandId". When
	// the response carried none, it is empty (an HTML error page) or the
	// SDK's placeholder "UnknownError" (an empty body).
	Code string

	// Message is the service's error message, often empty.
	Message string

	// RequestID is the request ID from the X-Amzn-RequestId header, for
	// AWS Support. It is empty when the response carried none.
	RequestID string

	// StatusCode is the HTTP status code, or 0 when no response was read.
	StatusCode int

	// Err is the error that the SDK returned.
	Err error

	sentinels []error
}

// NewServiceError returns a ServiceError for an error response with the
// given code, message and HTTP status, and picks its sentinels with
// Classify. err is the SDK's error and may be nil.
func NewServiceError(operation, code, message, requestID string, statusCode int, err error) *ServiceError {
	return &ServiceError{
		Operation:  operation,
		Code:       code,
		Message:    message,
		RequestID:  requestID,
		StatusCode: statusCode,
		Err:        err,
		sentinels:  Classify(code, message, statusCode),
	}
}

// Error returns a message of the form
// "ssm CancelCommand: InvalidCommandId: <message> (HTTP 400, request ID …)".
// When the service sent no message, a short explanation of the code takes
// its place.
func (e *ServiceError) Error() string {
	var b strings.Builder
	b.WriteString("ssm")
	if e.Operation != "" {
		b.WriteString(" " + e.Operation)
	}
	b.WriteString(": ")

	code := e.Code
	if code == "" {
		code = "error response without an error code"
	}
	b.WriteString(code)

	message := e.Message
	if message == e.Code {
		// The SDK's placeholder for a body it could not read repeats the
		// code ("UnknownError").
		message = ""
	}
	if message == "" {
		message = codeHints[strings.ToLower(e.Code)]
	}
	if message != "" {
		b.WriteString(": " + truncate(message))
	}

	var details []string
	if e.StatusCode != 0 {
		details = append(details, "HTTP "+strconv.Itoa(e.StatusCode))
	}
	if e.RequestID != "" {
		details = append(details, "request ID "+e.RequestID)
	}
	if len(details) > 0 {
		b.WriteString(" (" + strings.Join(details, ", ") + ")")
	}
	return b.String()
}

// Unwrap returns the sentinels that fit the error, followed by the SDK's
// error.
func (e *ServiceError) Unwrap() []error {
	errs := make([]error, 0, len(e.sentinels)+1)
	errs = append(errs, e.sentinels...)
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// codeHints explains, in lower case, the codes that the service sends
// without a message.
var codeHints = map[string]string{
	"invalidcommandid":    "the service has no command with this ID in this account and Region",
	"duplicateinstanceid": "the request lists an instance ID more than once",
	"invalidinstanceid":   "a node is not one the command was sent to, is not managed, or is not running",
}

// maxMessage is the number of bytes of a service message that Error shows.
const maxMessage = 512

// truncate cuts s to maxMessage bytes, stepping back to a rune boundary.
func truncate(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for i := 0; i < utf8.UTFMax-1 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return s[:cut] + "... (" + strconv.Itoa(len(s)) + " bytes)"
}
