// Package ssmcancel cancels AWS Systems Manager Run Command commands and
// reports how they ended.
//
// Client.Cancel is a typed wrapper over the CancelCommand API. It checks
// the command ID and node IDs against the service's constraints before it
// sends anything. Its errors match the sentinels of package
// github.com/ssmkit/ssmcancel/errors with errors.Is, while errors.As still
// reaches the SDK's own error types. Around it, the Client offers the
// tools people otherwise write by hand:
//
//   - CancelAll cancels any number of nodes, 50 per request, splits a batch
//     that one bad node made the service reject, and paces its requests
//     from the service's throttling.
//   - Wait polls ListCommandInvocations until each node reaches a terminal
//     status, and CancelAndWait cancels and then waits.
//   - CancelOnDone sends the cancel when a context ends, say on SIGINT.
//
// # A cancel is a request
//
// CancelCommand asks the SSM Agent on each node to stop the command. It
// does not guarantee that the command stops: a node can still finish with
// Success, a node whose agent does not respond stays in Cancelling, and a Cancelled
// invocation does not prove that every child process the command started
// has exited. Use Wait to learn each node's final status.
//
// Package github.com/ssmkit/ssmcancel/ssmcancel/ssmcanceltest runs an
// in-process SSM endpoint for testing code that uses this package.
package ssmcancel
