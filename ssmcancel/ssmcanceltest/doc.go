// Package ssmcanceltest runs an in-process AWS Systems Manager (SSM) endpoint
// for tests of code that sends and cancels Run Command commands.
//
// A [Server] listens on a loopback port, like net/http/httptest, and speaks
// the AWS JSON 1.1 protocol of the SSM API. Any AWS client can use it: the Go
// SDK through [Server.Client], the AWS CLI with --endpoint-url, or boto3 with
// endpoint_url. moto and LocalStack do not implement
// CancelCommand or ListCommandInvocations, which is why this package exists.
//
// # Operations
//
// The server implements SendCommand, CancelCommand, ListCommands,
// ListCommandInvocations and GetCommandInvocation. It checks the length,
// list-size and pattern constraints of the SSM model on its own, without the
// validator of this module, and rejects broken ones with the service's
// ValidationException message. Any other AmazonSSM operation gets an
// UnknownOperationException whose message says the emulator does not
// implement it.
//
// The server accepts any SigV4 signature. It only requires an Authorization
// header unless [Options.AllowAnonymous] is set. Request bodies larger than
// 1 MiB get HTTP 413 with the error code RequestEntityTooLargeException.
//
// # Lifecycle
//
// Each invocation (one command on one managed node) moves through its states
// as a function of the server's [Clock], computed on every read, so no timers
// or goroutines run in the background. An invocation is Pending from
// SendCommand for [Options.PendingDuration], InProgress for
// [Options.RunDuration], and then Success, or Failed or TimedOut when its node
// has that [NodeBehavior]. CancelCommand moves a non-terminal invocation to
// Cancelling, and [Options.CancelDelay] later to Cancelled. With a [FakeClock]
// a test decides when time passes.
//
// # Faults
//
// [Server.FailNext] makes the next calls of an operation fail with a [Fault]:
// an error code, an HTML 502 page, an empty 500, a dropped connection or a
// slow reply. [Server.SetRateLimit] throttles an operation with a token
// bucket. [Server.RegisterNodes] and [Server.TerminateNode] make the server
// reject unknown and terminated managed nodes with InvalidInstanceId.
//
// # Observation
//
// [Server.Calls] lists every request received, with its decoded SDK input
// and the error code answered. [Server.InvocationStatus] reads an
// invocation's status without a request.
//
// # Differences from the service
//
// SendCommand needs InstanceIds and rejects Targets. It accepts
// MaxConcurrency and MaxErrors but ignores them: every node runs at once,
// and the command's status treats MaxErrors as 0, so one failed invocation
// makes the command Failed. A partly cancelled or partly failed command gets
// a plain Cancelled or Failed, where the service may report "Incomplete".
// The list operations reject Filters with InvalidFilterKey, and a NextToken
// is an offset into the list, so a command sent between two pages shifts
// the next page. Member names match exactly, as at the service, and unknown
// members are ignored.
//
// A Server is safe for concurrent use by multiple goroutines.
package ssmcanceltest
