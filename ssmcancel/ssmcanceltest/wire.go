package ssmcanceltest

import (
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// The types in this file are the JSON shapes of responses. Member names equal
// the SDK's Go field names. Timestamps are epoch seconds as JSON numbers,
// except in GetCommandInvocation, whose model declares them as strings.

// epochSeconds encodes a time as epoch seconds with millisecond precision.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

type commandJSON struct {
	CommandId             string
	Comment               string
	CompletedCount        int32
	DeliveryTimedOutCount int32
	DocumentName          string
	DocumentVersion       string
	ErrorCount            int32
	ExpiresAfter          epochSeconds
	InstanceIds           []string
	MaxConcurrency        string
	MaxErrors             string
	Parameters            map[string][]string
	RequestedDateTime     epochSeconds
	Status                types.CommandStatus
	StatusDetails         string
	TargetCount           int32
	Targets               []struct{}
	TimeoutSeconds        int32
}

type sendCommandOutputJSON struct {
	Command commandJSON
}

type listCommandsOutputJSON struct {
	Commands  []commandJSON
	NextToken string `json:",omitempty"`
}

type pluginJSON struct {
	Name                   string
	Output                 string
	ResponseCode           int32
	ResponseStartDateTime  *epochSeconds `json:",omitempty"`
	ResponseFinishDateTime *epochSeconds `json:",omitempty"`
	StandardErrorUrl       string
	StandardOutputUrl      string
	Status                 types.CommandPluginStatus
	StatusDetails          string
}

type invocationJSON struct {
	CommandId         string
	CommandPlugins    []pluginJSON
	Comment           string
	DocumentName      string
	DocumentVersion   string
	InstanceId        string
	InstanceName      string
	RequestedDateTime epochSeconds
	StandardErrorUrl  string
	StandardOutputUrl string
	Status            types.CommandInvocationStatus
	StatusDetails     string
	TraceOutput       string
}

type listCommandInvocationsOutputJSON struct {
	CommandInvocations []invocationJSON
	NextToken          string `json:",omitempty"`
}

type getCommandInvocationOutputJSON struct {
	CommandId              string
	Comment                string
	DocumentName           string
	DocumentVersion        string
	ExecutionElapsedTime   string
	ExecutionEndDateTime   string
	ExecutionStartDateTime string
	InstanceId             string
	PluginName             string
	ResponseCode           int32
	StandardErrorContent   string
	StandardErrorUrl       string
	StandardOutputContent  string
	StandardOutputUrl      string
	Status                 types.CommandInvocationStatus
	StatusDetails          string
}

// isoTime formats a time the way GetCommandInvocation does, for example
// "2024-01-02T03:04:05.678Z", or returns "" for the zero time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}

	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// isoDuration formats an elapsed time as an ISO 8601 duration such as
// "PT3.2S", rounded to milliseconds, the form GetCommandInvocation uses.
func isoDuration(d time.Duration) string {
	return "PT" + strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', -1, 64) + "S"
}
