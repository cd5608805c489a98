package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ssmkit/ssmcancel/ssmcancel"
)

// errNoRegion reports that neither -region nor the SDK's configuration
// names an AWS Region.
var errNoRegion = errors.New("no AWS Region: pass -region or set AWS_REGION")

// connectAWS returns the target for cfg with an SSM client built from the
// SDK's default configuration: credentials from the default chain, and
// the Region and endpoint URL from the flags when they are set.
func connectAWS(ctx context.Context, cfg config) (target, error) {
	var loadOpts []func(*awsconfig.LoadOptions) error
	if cfg.region != "" {
		loadOpts = append(loadOpts, awsconfig.WithRegion(cfg.region))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return target{}, fmt.Errorf("loading the AWS configuration failed (check AWS_PROFILE, AWS_CONFIG_FILE and the shared config files): %w", err)
	}
	if awsCfg.Region == "" {
		return target{}, errNoRegion
	}

	api := ssm.NewFromConfig(awsCfg, func(o *ssm.Options) {
		if cfg.endpointURL != "" {
			o.BaseEndpoint = aws.String(cfg.endpointURL)
		}
	})
	return target{
		kind:        "aws",
		endpointURL: cfg.endpointURL,
		region:      awsCfg.Region,
		client:      ssmcancel.New(api),
		commandID:   cfg.commandID,
		instanceIDs: cfg.instanceIDs,
		close:       func() {},
	}, nil
}
