package ssmcancel

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	ssmerrors "github.com/ssmkit/ssmcancel/errors"
)

// returnThrottles is a per-call SDK option that wraps the client's retryer
// so that a throttled attempt comes back to the caller at once instead of
// being retried after a backoff. CancelAll's pacer needs to see each
// throttle as it happens. The wrapped retryer still handles every other
// error, such as a 5xx response or a dropped connection.
func returnThrottles(o *ssm.Options) {
	if o.Retryer == nil {
		return
	}
	o.Retryer = throttleReturningRetryer{inner: o.Retryer}
}

type throttleReturningRetryer struct {
	inner aws.Retryer
}

var _ aws.RetryerV2 = throttleReturningRetryer{}

func (r throttleReturningRetryer) IsErrorRetryable(err error) bool {
	if isThrottle(err) {
		return false
	}
	return r.inner.IsErrorRetryable(err)
}

func (r throttleReturningRetryer) MaxAttempts() int { return r.inner.MaxAttempts() }

func (r throttleReturningRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	return r.inner.RetryDelay(attempt, err)
}

func (r throttleReturningRetryer) GetRetryToken(ctx context.Context, err error) (func(error) error, error) {
	return r.inner.GetRetryToken(ctx, err)
}

func (r throttleReturningRetryer) GetInitialToken() func(error) error {
	return r.inner.GetInitialToken()
}

func (r throttleReturningRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := r.inner.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.inner.GetInitialToken(), nil
}

// isThrottle reports whether err is a throttling error, by the SDK's
// standard checks or by its error code.
func isThrottle(err error) bool {
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	return errors.Is(fromSDK("", err), ssmerrors.ErrThrottled)
}
