package ssmcanceltest

import (
	"net/http"
	"time"
)

// faultKind selects the response a Fault sends.
type faultKind int

const (
	faultJSON faultKind = iota
	faultHTML
	faultEmpty
	faultDrop
	faultSlow
)

// Fault is a response that replaces the normal one for a call. A Fault built
// as a literal, such as Fault{StatusCode: 400, Code: "InvalidCommandId"},
// sends a JSON error with that status, code and optional message. The
// constructors below build the other kinds.
type Fault struct {
	StatusCode int
	Code       string
	Message    string

	kind  faultKind
	delay time.Duration
}

// Throttle returns the fault the service sends when a caller exceeds its
// request rate: HTTP 400, ThrottlingException, "Rate exceeded".
func Throttle() Fault {
	return Fault{StatusCode: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
}

// InternalError returns HTTP 500 with the code InternalServerError, which the
// SDK retries.
func InternalError() Fault {
	return Fault{StatusCode: http.StatusInternalServerError, Code: "InternalServerError", Message: "injected internal error"}
}

// BadGatewayHTML returns HTTP 502 with an HTML page and no JSON, as a proxy or
// load balancer in front of the service might send.
func BadGatewayHTML() Fault {
	return Fault{StatusCode: http.StatusBadGateway, kind: faultHTML}
}

// EmptyInternalError returns HTTP 500 with an empty body and no error code.
func EmptyInternalError() Fault {
	return Fault{StatusCode: http.StatusInternalServerError, kind: faultEmpty}
}

// DropConnection closes the connection after reading the request, without
// sending any response.
func DropConnection() Fault {
	return Fault{kind: faultDrop}
}

// SlowReply waits d of real time, or until the request's context ends or the
// server closes, and then sends the normal response. It uses the real clock, not the
// server's Clock, because it exercises the client's transport timeouts.
func SlowReply(d time.Duration) Fault {
	return Fault{kind: faultSlow, delay: d}
}

func (f Fault) apiError() *apiError {
	return &apiError{status: f.StatusCode, code: f.Code, message: f.Message}
}

// FailNext makes the next n calls of operation, such as "CancelCommand",
// get f instead of the normal response. Faults queue up: after two FailNext
// calls, the first n calls get the first fault and the next ones the second. A call that the rate limit throttles does not use up
// a fault. A literal Fault with a StatusCode below 400 is sent as HTTP 500.
func (s *Server) FailNext(operation string, n int, f Fault) {
	if f.kind == faultJSON && f.StatusCode < 400 {
		f.StatusCode = http.StatusInternalServerError
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	for range n {
		s.faults[operation] = append(s.faults[operation], f)
	}
}

func (s *Server) nextFault(operation string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()

	queue := s.faults[operation]
	if len(queue) == 0 {
		return Fault{}, false
	}
	s.faults[operation] = queue[1:]

	return queue[0], true
}

// applyFault sends the fault's response and reports whether the request is
// done. A slow reply only delays the normal response, so it reports false.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, call *Call, f Fault) bool {
	switch f.kind {
	case faultHTML:
		const page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.StatusCode)
		_, _ = w.Write([]byte(page))
		call.StatusCode = f.StatusCode
		return true

	case faultEmpty:
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(f.StatusCode)
		call.StatusCode = f.StatusCode
		return true

	case faultDrop:
		if rw, ok := w.(*recordingWriter); ok {
			rw.recordOnce(0)
		}
		dropConnection(w)
		return true

	case faultSlow:
		timer := time.NewTimer(f.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
		case <-s.closing:
		}
		return false

	default:
		s.writeError(w, call, f.apiError())
		return true
	}
}

// dropConnection closes the client connection without a response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// The connection cannot be hijacked (HTTP/2): abort the handler,
		// which makes net/http reset the stream without logging.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// tokenBucket limits a request rate on the server's clock.
type tokenBucket struct {
	perSecond float64
	burst     float64
	tokens    float64
	last      time.Time
}

func (b *tokenBucket) take(now time.Time) bool {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed*b.perSecond)
		b.last = now
	}

	if b.tokens < 1 {
		return false
	}
	b.tokens--

	return true
}

// SetRateLimit limits operation to perSecond calls per second, with bursts of
// up to burst calls, measured on the server's Clock. Calls beyond the limit get
// HTTP 400 ThrottlingException "Rate exceeded". The bucket starts full. A
// perSecond of zero or less removes the limit, and a burst below 1 counts as 1.
func (s *Server) SetRateLimit(operation string, perSecond float64, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if perSecond <= 0 {
		delete(s.limits, operation)
		return
	}

	burst = max(burst, 1)
	s.limits[operation] = &tokenBucket{
		perSecond: perSecond,
		burst:     float64(burst),
		tokens:    float64(burst),
		last:      s.clock.Now(),
	}
}

func (s *Server) takeToken(operation string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()

	bucket, ok := s.limits[operation]
	if !ok {
		return true
	}

	return bucket.take(s.clock.Now())
}
