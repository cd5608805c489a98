package ssmcancel

import (
	"context"
	"errors"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
)

// Operations named in an OperationError.
const (
	opCancel    = "cancel"
	opCancelAll = "cancel all"
	opWait      = "wait"
)

// OperationError reports which Client method failed on which command. Err
// is a *ssmerrors.ValidationError (or several joined), a
// *ssmerrors.ServiceError, or an error from the context or the network;
// errors.Is and errors.As see through to it.
type OperationError struct {
	// Operation is the method: "cancel", "cancel all" or "wait".
	Operation string

	// CommandID is the command ID as the caller passed it.
	CommandID string

	// Err is the cause.
	Err error
}

// Error returns a message of the form
// `ssmcancel: cancel command "…": <cause>`, with a long command ID
// shortened.
func (e *OperationError) Error() string {
	return "ssmcancel: " + e.Operation + " command " + ssmerrors.Quote(e.CommandID) + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *OperationError) Unwrap() error { return e.Err }

// fromSDK turns an error from an SDK call into a *ssmerrors.ServiceError
// when the service sent an error response, and returns any other error, such as a
// context or connection error, unchanged.
func fromSDK(operation string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}

	var (
		apiErr  smithy.APIError
		respErr *awshttp.ResponseError
	)
	hasAPIErr := errors.As(err, &apiErr)
	// The SDK also wraps a request that got no response, such as one on a
	// refused or dropped connection, in a ResponseError, with status 0.
	hasResponse := errors.As(err, &respErr) && respErr.Response != nil && respErr.Response.StatusCode != 0
	if !hasAPIErr && !hasResponse {
		return err
	}

	var code, message, requestID string
	var status int
	if hasAPIErr {
		code, message = apiErr.ErrorCode(), apiErr.ErrorMessage()
	}
	if hasResponse {
		requestID = respErr.ServiceRequestID()
		status = respErr.Response.StatusCode
	}
	return ssmerrors.NewServiceError(operation, code, message, requestID, status, err)
}
