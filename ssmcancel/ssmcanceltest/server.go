package ssmcanceltest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Default lifecycle durations, chosen so that a demo on the real clock shows
// every state for long enough to watch it.
const (
	DefaultPendingDuration = 200 * time.Millisecond
	DefaultRunDuration     = 3 * time.Second
	DefaultCancelDelay     = 300 * time.Millisecond
)

// DefaultAddr is the address a Server listens on when [Options.Addr] is empty:
// a free port on the IPv4 loopback interface.
const DefaultAddr = "127.0.0.1:0"

// Region is the AWS Region of the clients that [Server.Client] returns. The
// server itself ignores the Region in the request signature.
const Region = "us-east-1"

// Options configures a Server. The zero value is ready to use.
type Options struct {
	// Addr is the TCP address to listen on. The default is DefaultAddr.
	Addr string

	// Clock is the source of time. The default is the system clock.
	Clock Clock

	// PendingDuration is how long an invocation stays Pending after
	// SendCommand. RunDuration is how long it then stays InProgress before it
	// finishes. CancelDelay is how long it stays Cancelling after
	// CancelCommand before it is Cancelled. Zero selects the Default*
	// constant, and a negative value means no delay at all.
	PendingDuration time.Duration
	RunDuration     time.Duration
	CancelDelay     time.Duration

	// AllowAnonymous accepts requests without an Authorization header.
	AllowAnonymous bool

	// OnCall, if set, is called after the response to each request. It may
	// be called from several goroutines at once.
	OnCall func(Call)
}

// Server is an SSM endpoint that listens on a loopback port.
type Server struct {
	// URL is the base URL of the endpoint, http://ipaddr:port with no
	// trailing slash.
	URL string

	clock          Clock
	pending        time.Duration
	run            time.Duration
	cancelDelay    time.Duration
	allowAnonymous bool
	onCall         func(Call)

	listener   net.Listener
	httpServer *http.Server
	serveErr   chan error

	lifeMu   sync.Mutex
	closed   bool
	closing  chan struct{}
	handlers sync.WaitGroup

	mu         sync.Mutex
	commands   map[string]*command
	order      []*command
	registered map[string]bool
	terminated map[string]bool
	behaviors  map[string]NodeBehavior
	faults     map[string][]Fault
	limits     map[string]*tokenBucket
	calls      []Call
	counts     map[string]int
}

// NewServer starts a Server and returns it. The caller must call
// [Server.Close] when done.
//
// Like httptest.NewServer, NewServer panics if it cannot listen on
// [Options.Addr], because a test cannot go on without its server.
func NewServer(optFns ...func(*Options)) *Server {
	var opts Options
	for _, fn := range optFns {
		fn(&opts)
	}

	s := &Server{
		clock:          opts.Clock,
		pending:        durationOrDefault(opts.PendingDuration, DefaultPendingDuration),
		run:            durationOrDefault(opts.RunDuration, DefaultRunDuration),
		cancelDelay:    durationOrDefault(opts.CancelDelay, DefaultCancelDelay),
		allowAnonymous: opts.AllowAnonymous,
		onCall:         opts.OnCall,
		closing:        make(chan struct{}),
		serveErr:       make(chan error, 1),
		commands:       make(map[string]*command),
		registered:     make(map[string]bool),
		terminated:     make(map[string]bool),
		behaviors:      make(map[string]NodeBehavior),
		faults:         make(map[string][]Fault),
		limits:         make(map[string]*tokenBucket),
		counts:         make(map[string]int),
	}
	if s.clock == nil {
		s.clock = realClock{}
	}

	addr := opts.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		panic(fmt.Sprintf("ssmcanceltest: failed to listen on %s: %v", addr, err))
	}
	s.listener = ln
	s.URL = "http://" + ln.Addr().String()

	s.httpServer = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		s.serveErr <- s.httpServer.Serve(ln)
	}()

	return s
}

// durationOrDefault maps zero to def and a negative value to zero.
func durationOrDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	default:
		return d
	}
}

// Close stops the listener, closes all connections and waits until every
// request handler has returned. A slow reply in progress ends early. Close may
// be called more than once.
func (s *Server) Close() {
	s.lifeMu.Lock()
	if s.closed {
		s.lifeMu.Unlock()
		return
	}
	s.closed = true
	close(s.closing)
	s.lifeMu.Unlock()

	_ = s.httpServer.Close()
	<-s.serveErr
	s.handlers.Wait()
}

// Client returns an SSM client for the server: Region us-east-1, static fake
// credentials and BaseEndpoint set to s.URL. optFns are applied last, so they
// can replace any of these, for example the Retryer.
func (s *Server) Client(optFns ...func(*ssm.Options)) *ssm.Client {
	opts := ssm.Options{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "emulator-secret-key", ""),
		BaseEndpoint: aws.String(s.URL),
	}

	return ssm.New(opts, optFns...)
}

// Now returns the current time of the server's clock.
func (s *Server) Now() time.Time {
	return s.clock.Now()
}

// beginRequest registers a running handler and reports whether the server is
// still open.
func (s *Server) beginRequest() bool {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()

	if s.closed {
		return false
	}
	s.handlers.Add(1)

	return true
}
