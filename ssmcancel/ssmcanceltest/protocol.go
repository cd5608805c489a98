package ssmcanceltest

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
)

const (
	// maxBodyBytes is the largest request body the server reads, 1 MiB.
	maxBodyBytes = 1 << 20

	targetPrefix    = "AmazonSSM."
	jsonContentType = "application/x-amz-json-1.1"
)

// apiError is an error response in the AWS JSON 1.1 shape.
type apiError struct {
	status  int
	code    string
	message string // empty means the body has no message member
}

func newValidationError(violations []violation) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ValidationException", message: validationMessage(violations)}
}

func clientError(code, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: message}
}

// ServeHTTP handles one AWS JSON 1.1 request. It is exported so that a Server
// can also be mounted in another http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.beginRequest() {
		http.Error(w, "ssmcanceltest: server is closed", http.StatusServiceUnavailable)
		return
	}
	defer s.handlers.Done()

	started := time.Now()
	call := Call{RequestID: newUUID(), Time: s.clock.Now()}
	w.Header().Set("X-Amzn-RequestId", call.RequestID)

	// Record the call when the status line is written, before the client
	// can read the response, so that a test that counts calls right after
	// a request returns finds that request.
	rw := &recordingWriter{ResponseWriter: w, record: func(status int) {
		if call.StatusCode == 0 && status != 0 {
			call.StatusCode = status
		}
		call.Duration = time.Since(started)
		s.record(call)
	}}
	s.serve(rw, r, &call)

	rw.recordOnce(0)
}

// recordingWriter calls record once, just before the response's status line
// is written.
type recordingWriter struct {
	http.ResponseWriter
	record   func(status int)
	recorded bool
}

func (w *recordingWriter) WriteHeader(status int) {
	w.recordOnce(status)
	w.ResponseWriter.WriteHeader(status)
}

// recordOnce records the call with status unless it is already recorded.
// A dropped connection records with status 0 before the connection closes.
func (w *recordingWriter) recordOnce(status int) {
	if !w.recorded {
		w.recorded = true
		w.record(status)
	}
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if !w.recorded {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serve runs the request pipeline and fills in call as it learns more:
// method, authentication, target, body, rate limit, injected fault, and
// finally the operation itself.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, call *Call) {
	target := r.Header.Get("X-Amz-Target")
	call.Operation = strings.TrimPrefix(target, targetPrefix)

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.writeError(w, call, &apiError{
			status:  http.StatusMethodNotAllowed,
			code:    "UnknownOperationException",
			message: fmt.Sprintf("method %s is not allowed: send POST / with an X-Amz-Target header", r.Method),
		})
		return
	}

	if !s.allowAnonymous && r.Header.Get("Authorization") == "" {
		s.writeError(w, call, clientError("MissingAuthenticationTokenException", "Missing Authentication Token"))
		return
	}

	op, ok := operations[call.Operation]
	if !ok || !strings.HasPrefix(target, targetPrefix) {
		s.writeError(w, call, unknownOperation(target))
		return
	}

	body, apiErr := readBody(w, r)
	if apiErr != nil {
		s.writeError(w, call, apiErr)
		return
	}

	input, apiErr := op.decode(body)
	if apiErr != nil {
		s.writeError(w, call, apiErr)
		return
	}
	call.Input = input

	if !s.takeToken(call.Operation) {
		s.writeError(w, call, Throttle().apiError())
		return
	}

	if fault, ok := s.nextFault(call.Operation); ok {
		call.Injected = true
		if answered := s.applyFault(w, r, call, fault); answered {
			return
		}
	}

	output, apiErr := op.handle(s, input)
	if apiErr != nil {
		s.writeError(w, call, apiErr)
		return
	}
	s.writeJSON(w, call, http.StatusOK, output)
}

func unknownOperation(target string) *apiError {
	name, isSSM := strings.CutPrefix(target, targetPrefix)
	switch {
	case target == "":
		return clientError("UnknownOperationException", "missing X-Amz-Target header: expected AmazonSSM.<Operation>")
	case isSSM && name != "":
		return clientError("UnknownOperationException", fmt.Sprintf(
			"the emulator does not implement %s: it implements %s", target, strings.Join(operationNames(), ", ")))
	default:
		return clientError("UnknownOperationException", fmt.Sprintf("unknown operation %q: expected AmazonSSM.<Operation>", target))
	}
}

// readBody reads at most maxBodyBytes of the request body.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err == nil {
		return body, nil
	}

	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, &apiError{
			status:  http.StatusRequestEntityTooLarge,
			code:    "RequestEntityTooLargeException",
			message: fmt.Sprintf("request body exceeds the limit of %d bytes", int64(maxBodyBytes)),
		}
	}

	return nil, clientError("SerializationException", fmt.Sprintf("failed to read request body: %v", err))
}

// decodeInput decodes an AWS JSON 1.1 body into an SDK input struct. The
// service's member names equal the Go field names, so encoding/json needs no
// tags. The service matches member names exactly and ignores unknown ones,
// whereas encoding/json matches them in any case, so members whose name
// differs from a field's in case only are dropped first: {"commandid": …}
// leaves CommandId missing, as it does at the service.
func decodeInput[T any](body []byte) (any, *apiError) {
	if !json.Valid(body) {
		return nil, clientError("SerializationException", "request body is not valid JSON")
	}

	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return nil, clientError("SerializationException", fmt.Sprintf("invalid request body: %v", err))
	}
	fields := exportedFields[T]()
	for name := range members {
		if !fields[name] {
			delete(members, name)
		}
	}
	exact, err := json.Marshal(members)
	if err != nil {
		return nil, clientError("SerializationException", fmt.Sprintf("invalid request body: %v", err))
	}

	in := new(T)
	if err := json.Unmarshal(exact, in); err != nil {
		return nil, clientError("SerializationException", fmt.Sprintf("invalid request body: %v", err))
	}

	return in, nil
}

// exportedFields returns the names of T's exported fields, which are the
// members of the operation's input.
func exportedFields[T any]() map[string]bool {
	t := reflect.TypeFor[T]()
	fields := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			fields[f.Name] = true
		}
	}
	return fields
}

func (s *Server) writeError(w http.ResponseWriter, call *Call, e *apiError) {
	body := map[string]string{"__type": e.code}
	if e.message != "" {
		body["message"] = e.message
	}

	w.Header().Set("X-Amzn-ErrorType", e.code)
	call.ErrorCode = e.code
	s.writeJSON(w, call, e.status, body)
}

func (s *Server) writeJSON(w http.ResponseWriter, call *Call, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		// Only the server's own output types reach here, and they always
		// marshal, so this is a bug in the emulator.
		status = http.StatusInternalServerError
		call.ErrorCode = "InternalServerError"
		w.Header().Set("X-Amzn-ErrorType", call.ErrorCode)
		data = fmt.Appendf(nil, `{"__type":"InternalServerError","message":%q}`, "failed to encode response: "+err.Error())
	}

	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
	call.StatusCode = status
}

// newUUID returns a random (version 4) UUID in lower case.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error.
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80

	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
