package ssmcanceltest

import "time"

// Call is one request that the server received.
type Call struct {
	// Operation is the name after "AmazonSSM." in the X-Amz-Target header,
	// such as "CancelCommand", or the whole header when it lacks that prefix.
	Operation string

	// Input is the decoded request: a pointer to the SDK's input struct, such
	// as *ssm.CancelCommandInput. It is nil when the server answered before
	// decoding, for example on a missing Authorization header or a body that
	// is not JSON.
	Input any

	// RequestID is the value of the X-Amzn-RequestId response header.
	RequestID string

	// Time is the server clock's time when the request arrived.
	Time time.Time

	// Duration is the real time spent on the response, including a slow reply.
	Duration time.Duration

	// StatusCode is the HTTP status sent, or 0 when the connection was
	// dropped.
	StatusCode int

	// ErrorCode is the error code sent, such as "ThrottlingException",
	// or empty on success and on faults that send no error code (an HTML
	// page, an empty body, a dropped connection).
	ErrorCode string

	// Injected reports whether a fault from FailNext shaped the response.
	Injected bool
}

func (s *Server) record(call Call) {
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.counts[call.Operation]++
	s.mu.Unlock()

	if s.onCall != nil {
		s.onCall(call)
	}
}

// Calls returns a copy of the calls received since the server started or
// since the last ResetCalls, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()

	return append([]Call(nil), s.calls...)
}

// CallCount returns how many calls of operation the server received since it
// started or since the last ResetCalls.
func (s *Server) CallCount(operation string) int {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.counts[operation]
}

// ResetCalls clears the recorded calls and counts. Commands, nodes, faults
// and rate limits stay as they are.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.calls = nil
	s.counts = make(map[string]int)
}
