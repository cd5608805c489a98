package main

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// report is the result of a run, as -json prints it. The package comment
// documents the field names.
type report struct {
	Target      string       `json:"target"`
	EndpointURL string       `json:"endpoint_url"`
	Region      string       `json:"region"`
	CommandID   string       `json:"command_id"`
	Waited      bool         `json:"waited"`
	AllNodes    bool         `json:"all_nodes"`
	Nodes       []nodeResult `json:"nodes"`
	Summary     summary      `json:"summary"`
	Error       *string      `json:"error"`
	ErrorKind   *errorKind   `json:"error_kind"`
	ExitCode    int          `json:"exit_code"`
}

// nodeResult is the result for one node.
type nodeResult struct {
	InstanceID           string     `json:"instance_id"`
	CancelError          *string    `json:"cancel_error"`
	ErrorKind            *errorKind `json:"error_kind"`
	Status               string     `json:"status"`
	StatusDetails        string     `json:"status_details"`
	SuccessDespiteCancel bool       `json:"success_despite_cancel"`
}

// summary counts the nodes of a report.
type summary struct {
	Nodes                int            `json:"nodes"`
	Accepted             int            `json:"accepted"`
	Failed               int            `json:"failed"`
	Terminal             int            `json:"terminal"`
	SuccessDespiteCancel int            `json:"success_despite_cancel"`
	Statuses             map[string]int `json:"statuses"`
}

// errorKind is the class of an error that decides the exit code.
type errorKind string

const (
	kindInvalidInput errorKind = "invalid_input"
	kindRejected     errorKind = "rejected"
	kindThrottled    errorKind = "throttled"
	kindServer       errorKind = "server"
	kindTimedOut     errorKind = "timed_out"
	kindNotFinished  errorKind = "not_finished"
	kindInterrupted  errorKind = "interrupted"
	kindOther        errorKind = "other"
)

// exitCode returns the exit code for an error of kind k.
func (k errorKind) exitCode() int {
	switch k {
	case kindInvalidInput:
		return exitInvalidInput
	case kindRejected:
		return exitRejected
	case kindThrottled, kindServer, kindTimedOut, kindNotFinished:
		return exitRetryable
	default:
		return exitOther
	}
}

// precedence ranks exit codes when several apply: invalid input first,
// then a rejection, then a condition a retry may clear, then the rest.
var precedence = map[int]int{exitInvalidInput: 4, exitRejected: 3, exitRetryable: 2, exitOther: 1}

// rejections are the sentinels of errors that the service, or for a node
// the command does not list, Wait, reports for a request it will not
// carry out.
var rejections = []error{
	ssmerrors.ErrInvalidCommandID,
	ssmerrors.ErrInvalidInstanceID,
	ssmerrors.ErrTooManyInstanceIDs,
	ssmerrors.ErrDuplicateInstanceID,
	ssmerrors.ErrAccessDenied,
	ssmerrors.ErrValidation,
}

// classify returns the kind of err. It checks the kinds in the order of
// their exit code precedence, so that an error that joins several, such as
// a rejected cancel and an unfinished wait from CancelAndWait, gets the
// kind that wins. A client-side *ssmerrors.ValidationError is invalid
// input even though it matches the same sentinel as the service's
// rejection of the same value. An interrupt during the wait is
// interrupted, not not_finished.
func classify(err error) errorKind {
	var validation *ssmerrors.ValidationError
	if errors.As(err, &validation) {
		return kindInvalidInput
	}
	for _, sentinel := range rejections {
		if errors.Is(err, sentinel) {
			return kindRejected
		}
	}

	throttled := errors.Is(err, ssmerrors.ErrThrottled)
	server := errors.Is(err, ssmerrors.ErrInternalServer)
	var service *ssmerrors.ServiceError
	switch {
	case errors.As(err, &service) && !throttled && !server:
		// A 4xx error code that no sentinel covers.
		return kindRejected
	case throttled:
		return kindThrottled
	case server:
		return kindServer
	case errors.Is(err, context.Canceled):
		return kindInterrupted
	case errors.Is(err, ssmerrors.ErrNotFinished):
		return kindNotFinished
	case errors.Is(err, context.DeadlineExceeded):
		return kindTimedOut
	default:
		return kindOther
	}
}

// newReport builds the report of a run from the invocations and the error
// that CancelAndWait or CancelAll returned.
func newReport(t target, waited bool, invocations []ssmcancel.Invocation, err error) report {
	rep := report{
		Target:      t.kind,
		EndpointURL: t.endpointURL,
		Region:      t.region,
		CommandID:   t.commandID,
		Waited:      waited,
		AllNodes:    len(t.instanceIDs) == 0,
		Nodes:       make([]nodeResult, 0, len(invocations)),
		Summary:     summary{Statuses: map[string]int{}},
	}

	code := exitOK
	raise := func(k errorKind) {
		if precedence[k.exitCode()] > precedence[code] {
			code = k.exitCode()
		}
	}

	for _, inv := range invocations {
		node := nodeResult{
			InstanceID:    inv.InstanceID,
			Status:        string(inv.Status),
			StatusDetails: inv.StatusDetails,
		}
		rep.Summary.Nodes++
		if inv.Err != nil {
			msg, kind := inv.Err.Error(), classify(inv.Err)
			node.CancelError, node.ErrorKind = &msg, &kind
			rep.Summary.Failed++
			raise(kind)
		} else {
			rep.Summary.Accepted++
			node.SuccessDespiteCancel = inv.Status == types.CommandInvocationStatusSuccess
		}
		if inv.Terminal() {
			rep.Summary.Terminal++
		}
		if node.SuccessDespiteCancel {
			rep.Summary.SuccessDespiteCancel++
		}
		if inv.Status != "" {
			rep.Summary.Statuses[string(inv.Status)]++
		}
		rep.Nodes = append(rep.Nodes, node)
	}

	if err != nil {
		msg, kind := err.Error(), classify(err)
		rep.Error, rep.ErrorKind = &msg, &kind
		raise(kind)
	}
	rep.ExitCode = code
	return rep
}
