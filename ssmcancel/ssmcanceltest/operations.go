package ssmcanceltest

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// operation decodes and handles one AmazonSSM target.
type operation struct {
	decode func(body []byte) (any, *apiError)
	handle func(s *Server, input any) (any, *apiError)
}

var operations = map[string]operation{
	"SendCommand": {
		decode: decodeInput[ssm.SendCommandInput],
		handle: func(s *Server, in any) (any, *apiError) { return s.sendCommand(in.(*ssm.SendCommandInput)) },
	},
	"CancelCommand": {
		decode: decodeInput[ssm.CancelCommandInput],
		handle: func(s *Server, in any) (any, *apiError) { return s.cancelCommand(in.(*ssm.CancelCommandInput)) },
	},
	"ListCommands": {
		decode: decodeInput[ssm.ListCommandsInput],
		handle: func(s *Server, in any) (any, *apiError) { return s.listCommands(in.(*ssm.ListCommandsInput)) },
	},
	"ListCommandInvocations": {
		decode: decodeInput[ssm.ListCommandInvocationsInput],
		handle: func(s *Server, in any) (any, *apiError) {
			return s.listCommandInvocations(in.(*ssm.ListCommandInvocationsInput))
		},
	},
	"GetCommandInvocation": {
		decode: decodeInput[ssm.GetCommandInvocationInput],
		handle: func(s *Server, in any) (any, *apiError) {
			return s.getCommandInvocation(in.(*ssm.GetCommandInvocationInput))
		},
	},
}

// operationNames returns the implemented operations in alphabetical order.
func operationNames() []string {
	names := make([]string, 0, len(operations))
	for name := range operations {
		names = append(names, name)
	}
	sort.Strings(names)

	return names
}

const (
	defaultDocumentVersion = "$DEFAULT"
	defaultTimeoutSeconds  = 3600
)

func (s *Server) sendCommand(in *ssm.SendCommandInput) (any, *apiError) {
	if in.InstanceIds == nil && len(in.Targets) > 0 {
		return nil, clientError("UnsupportedOperationException",
			"the emulator supports SendCommand only with InstanceIds, not Targets: list the instance IDs instead")
	}

	violations := checkSendCommand(in, maxInstanceIDs)
	if len(violations) > 0 {
		return nil, newValidationError(violations)
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	c, apiErr := s.createCommandLocked(in)
	if apiErr != nil {
		return nil, apiErr
	}

	return sendCommandOutputJSON{Command: s.commandJSON(c, s.clock.Now())}, nil
}

// checkSendCommand checks the members of a SendCommand request, allowing up
// to maxIDs instance IDs.
//
// NOTE: the service accepts Targets instead of InstanceIds, so its model does
// not require InstanceIds. The emulator requires 1 or more instance IDs and
// reports a missing list in the service's validation form.
func checkSendCommand(in *ssm.SendCommandInput, maxIDs int) []violation {
	var violations []violation

	if in.DocumentName == nil {
		violations = append(violations, nullValue("documentName"))
	} else if !validDocumentName(*in.DocumentName) {
		violations = append(violations, violation{quoted(*in.DocumentName), "documentName",
			"Member must satisfy regular expression pattern: " + documentNamePattern})
	}

	switch {
	case in.InstanceIds == nil:
		violations = append(violations, nullValue("instanceIds"))
	case len(in.InstanceIds) == 0:
		violations = append(violations, violation{quotedList(in.InstanceIds), "instanceIds",
			"Member must have length greater than or equal to 1"})
	default:
		violations = checkInstanceIDList(violations, in.InstanceIds, maxIDs)
	}

	if in.Comment != nil {
		violations = checkLength(violations, "comment", *in.Comment, 0, maxCommentLength)
	}

	if t := in.TimeoutSeconds; t != nil {
		switch {
		case *t < minTimeoutSeconds:
			violations = append(violations, violation{quoted(fmt.Sprint(*t)), "timeoutSeconds",
				fmt.Sprintf("Member must have value greater than or equal to %d", minTimeoutSeconds)})
		case *t > maxTimeoutSeconds:
			violations = append(violations, violation{quoted(fmt.Sprint(*t)), "timeoutSeconds",
				fmt.Sprintf("Member must have value less than or equal to %d", maxTimeoutSeconds)})
		}
	}

	return violations
}

// createCommandLocked stores a new command for an already validated request.
// The caller holds s.mu.
func (s *Server) createCommandLocked(in *ssm.SendCommandInput) (*command, *apiError) {
	if _, dup := firstDuplicate(in.InstanceIds); dup {
		return nil, &apiError{status: 400, code: "DuplicateInstanceId"}
	}
	if apiErr := s.checkNodesLocked(in.InstanceIds); apiErr != nil {
		return nil, apiErr
	}

	c := &command{
		id:             newUUID(),
		documentName:   *in.DocumentName,
		parameters:     in.Parameters,
		timeoutSeconds: defaultTimeoutSeconds,
		requested:      s.clock.Now(),
		instanceIDs:    append([]string(nil), in.InstanceIds...),
		invocations:    make([]invocation, len(in.InstanceIds)),
		index:          make(map[string]int, len(in.InstanceIds)),
	}
	if in.Comment != nil {
		c.comment = *in.Comment
	}
	if in.TimeoutSeconds != nil {
		c.timeoutSeconds = *in.TimeoutSeconds
	}
	for i, id := range c.instanceIDs {
		c.invocations[i] = invocation{instanceID: id, behavior: s.behaviors[id]}
		c.index[id] = i
	}

	s.commands[c.id] = c
	s.order = append(s.order, c)

	return c, nil
}

// SeedCommand creates a command on any number of nodes without a request, for
// tests that need more nodes than SendCommand's limit of 50, and returns its
// command ID. It checks the document name and instance IDs like SendCommand
// does, except for the list size, and does not appear in Calls.
func (s *Server) SeedCommand(documentName string, instanceIDs ...string) (string, error) {
	in := &ssm.SendCommandInput{DocumentName: &documentName, InstanceIds: instanceIDs}
	if instanceIDs == nil {
		in.InstanceIds = []string{}
	}

	if violations := checkSendCommand(in, len(instanceIDs)); len(violations) > 0 {
		return "", fmt.Errorf("ssmcanceltest: seed command: %s", validationMessage(violations))
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	c, apiErr := s.createCommandLocked(in)
	if apiErr != nil {
		return "", fmt.Errorf("ssmcanceltest: seed command: %s %s", apiErr.code, apiErr.message)
	}

	return c.id, nil
}

func (s *Server) cancelCommand(in *ssm.CancelCommandInput) (any, *apiError) {
	violations := checkCommandID(nil, in.CommandId)
	violations = checkInstanceIDList(violations, in.InstanceIds, maxInstanceIDs)
	if len(violations) > 0 {
		return nil, newValidationError(violations)
	}
	if _, dup := firstDuplicate(in.InstanceIds); dup {
		return nil, &apiError{status: 400, code: "DuplicateInstanceId"}
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	c, ok := s.commands[*in.CommandId]
	if !ok {
		return nil, &apiError{status: 400, code: "InvalidCommandId"}
	}

	// The service rejects the whole call if any listed node is invalid, so
	// check them all before cancelling anything.
	for _, id := range in.InstanceIds {
		if apiErr := s.checkNodesLocked([]string{id}); apiErr != nil {
			return nil, apiErr
		}
		if _, ok := c.index[id]; !ok {
			return nil, clientError("InvalidInstanceId", fmt.Sprintf("instance %s is not a target of command %s", id, c.id))
		}
	}

	now := s.clock.Now()
	if len(in.InstanceIds) == 0 {
		for i := range c.invocations {
			s.cancelInvocationLocked(c, &c.invocations[i], now)
		}
	} else {
		for _, id := range in.InstanceIds {
			s.cancelInvocationLocked(c, &c.invocations[c.index[id]], now)
		}
	}

	return struct{}{}, nil
}

// cancelInvocationLocked records a cancel at now unless the invocation is
// terminal or already cancelled. The caller holds s.mu.
func (s *Server) cancelInvocationLocked(c *command, inv *invocation, now time.Time) {
	if !inv.cancelAt.IsZero() || s.stateAt(c, inv, now).terminal() {
		return
	}
	inv.cancelAt = now
}

func (s *Server) listCommands(in *ssm.ListCommandsInput) (any, *apiError) {
	var violations []violation
	if in.CommandId != nil {
		violations = checkLength(violations, "commandId", *in.CommandId, commandIDLength, commandIDLength)
	}
	violations = checkInstanceID(violations, "instanceId", in.InstanceId, false)
	violations = checkMaxResults(violations, in.MaxResults)
	if len(violations) > 0 {
		return nil, newValidationError(violations)
	}
	if len(in.Filters) > 0 {
		return nil, clientError("InvalidFilterKey", "the emulator does not support Filters: use CommandId or InstanceId")
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	candidates, apiErr := s.selectCommandsLocked(in.CommandId)
	if apiErr != nil {
		return nil, apiErr
	}

	var matched []*command
	for _, c := range candidates {
		if in.InstanceId != nil {
			if _, ok := c.index[*in.InstanceId]; !ok {
				continue
			}
		}
		matched = append(matched, c)
	}

	key := "ListCommands|" + deref(in.CommandId) + "|" + deref(in.InstanceId)
	offset, apiErr := parseNextToken(in.NextToken, key)
	if apiErr != nil {
		return nil, apiErr
	}
	offset = min(offset, len(matched))
	end := min(offset+pageSize(in.MaxResults), len(matched))

	now := s.clock.Now()
	out := listCommandsOutputJSON{Commands: make([]commandJSON, 0, end-offset)}
	for _, c := range matched[offset:end] {
		out.Commands = append(out.Commands, s.commandJSON(c, now))
	}
	if end < len(matched) {
		out.NextToken = makeNextToken(key, end)
	}

	return out, nil
}

// selectCommandsLocked returns the command with id, or all commands newest
// first when id is nil. The caller holds s.mu.
func (s *Server) selectCommandsLocked(id *string) ([]*command, *apiError) {
	if id != nil {
		c, ok := s.commands[*id]
		if !ok {
			return nil, &apiError{status: 400, code: "InvalidCommandId"}
		}
		return []*command{c}, nil
	}

	all := make([]*command, len(s.order))
	for i, c := range s.order {
		all[len(s.order)-1-i] = c
	}

	return all, nil
}

// listCommandInvocations lists invocations in the order the command listed its
// nodes, commands newest first. For an unknown but well-formed CommandId it
// returns an empty list, as the service does for a command it does not list
// yet (reported in aws/aws-cli issue 3546).
func (s *Server) listCommandInvocations(in *ssm.ListCommandInvocationsInput) (any, *apiError) {
	var violations []violation
	if in.CommandId != nil {
		violations = checkLength(violations, "commandId", *in.CommandId, commandIDLength, commandIDLength)
	}
	violations = checkInstanceID(violations, "instanceId", in.InstanceId, false)
	violations = checkMaxResults(violations, in.MaxResults)
	if len(violations) > 0 {
		return nil, newValidationError(violations)
	}
	if len(in.Filters) > 0 {
		return nil, clientError("InvalidFilterKey", "the emulator does not support Filters: use CommandId or InstanceId")
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	commands, apiErr := s.selectCommandsLocked(in.CommandId)
	if apiErr != nil && apiErr.code == "InvalidCommandId" {
		return listCommandInvocationsOutputJSON{CommandInvocations: []invocationJSON{}}, nil
	}
	if apiErr != nil {
		return nil, apiErr
	}

	key := "ListCommandInvocations|" + deref(in.CommandId) + "|" + deref(in.InstanceId)
	offset, apiErr := parseNextToken(in.NextToken, key)
	if apiErr != nil {
		return nil, apiErr
	}

	limit := pageSize(in.MaxResults)
	page, more := pageInvocations(commands, deref(in.InstanceId), offset, limit)

	now := s.clock.Now()
	out := listCommandInvocationsOutputJSON{CommandInvocations: make([]invocationJSON, 0, len(page))}
	for _, ref := range page {
		out.CommandInvocations = append(out.CommandInvocations, s.invocationJSON(ref.command, ref.index, now, in.Details))
	}
	if more {
		out.NextToken = makeNextToken(key, offset+len(page))
	}

	return out, nil
}

type invocationRef struct {
	command *command
	index   int
}

// pageInvocations returns up to limit invocations after skipping offset, and
// whether more follow. With an empty instanceID it skips whole commands in one
// step, so a page deep into a 10,000-node command costs O(commands + limit).
func pageInvocations(commands []*command, instanceID string, offset, limit int) ([]invocationRef, bool) {
	var page []invocationRef
	skip := offset

	for _, c := range commands {
		if instanceID != "" {
			i, ok := c.index[instanceID]
			if !ok {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(page) == limit {
				return page, true
			}
			page = append(page, invocationRef{c, i})
			continue
		}

		n := len(c.invocations)
		if skip >= n {
			skip -= n
			continue
		}
		for i := skip; i < n; i++ {
			if len(page) == limit {
				return page, true
			}
			page = append(page, invocationRef{c, i})
		}
		skip = 0
	}

	return page, false
}

func (s *Server) getCommandInvocation(in *ssm.GetCommandInvocationInput) (any, *apiError) {
	violations := checkCommandID(nil, in.CommandId)
	violations = checkInstanceID(violations, "instanceId", in.InstanceId, true)
	if in.PluginName != nil {
		violations = checkLength(violations, "pluginName", *in.PluginName, minPluginNameLength, maxPluginNameLength)
	}
	if len(violations) > 0 {
		return nil, newValidationError(violations)
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	c, ok := s.commands[*in.CommandId]
	if !ok {
		return nil, clientError("InvocationDoesNotExist", "command "+*in.CommandId+" does not exist")
	}
	i, ok := c.index[*in.InstanceId]
	if !ok {
		return nil, clientError("InvocationDoesNotExist",
			fmt.Sprintf("command %s was not sent to instance %s", c.id, *in.InstanceId))
	}
	plugin := pluginName(c.documentName)
	if in.PluginName != nil && *in.PluginName != plugin {
		return nil, clientError("InvalidPluginName", fmt.Sprintf("command %s has no step named %s: its only step is %s", c.id, *in.PluginName, plugin))
	}

	now := s.clock.Now()
	st := s.stateAt(c, &c.invocations[i], now)
	out := getCommandInvocationOutputJSON{
		CommandId:              c.id,
		Comment:                c.comment,
		DocumentName:           c.documentName,
		DocumentVersion:        defaultDocumentVersion,
		ExecutionStartDateTime: isoTime(st.startedAt),
		ExecutionEndDateTime:   isoTime(st.endedAt),
		InstanceId:             c.invocations[i].instanceID,
		PluginName:             plugin,
		ResponseCode:           st.responseCode,
		Status:                 st.status,
		StatusDetails:          statusDetails(st.status),
	}
	if !st.startedAt.IsZero() {
		end := now
		if !st.endedAt.IsZero() {
			end = st.endedAt
		}
		out.ExecutionElapsedTime = isoDuration(end.Sub(st.startedAt))
	}

	return out, nil
}

// pluginName returns the name of the single step the emulator reports for a
// document: the real step name of the two common shell documents, and
// "aws:runDocument" for any other document.
func pluginName(documentName string) string {
	switch documentName {
	case "AWS-RunShellScript":
		return "aws:runShellScript"
	case "AWS-RunPowerShellScript":
		return "aws:runPowerShellScript"
	default:
		return "aws:runDocument"
	}
}

func (s *Server) commandJSON(c *command, now time.Time) commandJSON {
	sum := s.summarize(c, now)

	return commandJSON{
		CommandId:         c.id,
		Comment:           c.comment,
		CompletedCount:    sum.completedCount,
		DocumentName:      c.documentName,
		DocumentVersion:   defaultDocumentVersion,
		ErrorCount:        sum.errorCount,
		ExpiresAfter:      epochSeconds(c.requested.Add(time.Duration(c.timeoutSeconds) * time.Second)),
		InstanceIds:       c.instanceIDs,
		MaxConcurrency:    "50",
		MaxErrors:         "0",
		Parameters:        c.parameters,
		RequestedDateTime: epochSeconds(c.requested),
		Status:            sum.status,
		StatusDetails:     sum.details,
		TargetCount:       int32(len(c.invocations)),
		Targets:           []struct{}{},
		TimeoutSeconds:    c.timeoutSeconds,
	}
}

func (s *Server) invocationJSON(c *command, i int, now time.Time, details bool) invocationJSON {
	inv := &c.invocations[i]
	st := s.stateAt(c, inv, now)

	out := invocationJSON{
		CommandId:         c.id,
		Comment:           c.comment,
		DocumentName:      c.documentName,
		DocumentVersion:   defaultDocumentVersion,
		InstanceId:        inv.instanceID,
		RequestedDateTime: epochSeconds(c.requested),
		Status:            st.status,
		StatusDetails:     statusDetails(st.status),
		CommandPlugins:    []pluginJSON{},
	}
	if details {
		out.CommandPlugins = []pluginJSON{pluginFor(c, st)}
	}

	return out
}

// pluginFor returns the single step of an invocation. Plugins have no
// Cancelling status, so a cancelling step shows InProgress.
func pluginFor(c *command, st invocationState) pluginJSON {
	status := types.CommandPluginStatus(st.status)
	if st.status == types.CommandInvocationStatusCancelling {
		status = types.CommandPluginStatusInProgress
	}

	p := pluginJSON{
		Name:          pluginName(c.documentName),
		ResponseCode:  st.responseCode,
		Status:        status,
		StatusDetails: statusDetails(types.CommandInvocationStatus(status)),
	}
	if !st.startedAt.IsZero() {
		started := epochSeconds(st.startedAt)
		p.ResponseStartDateTime = &started
	}
	if !st.endedAt.IsZero() {
		ended := epochSeconds(st.endedAt)
		p.ResponseFinishDateTime = &ended
	}

	return p
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func pageSize(maxResults *int32) int {
	if maxResults == nil {
		return maxMaxResults
	}
	return int(*maxResults)
}

// makeNextToken encodes the position after a page together with the request
// it belongs to, so a token from another request is rejected.
func makeNextToken(key string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key + "|" + strconv.Itoa(offset)))
}

// parseNextToken returns the offset in token, or 0 for no token.
func parseNextToken(token *string, key string) (int, *apiError) {
	if token == nil || *token == "" {
		return 0, nil
	}

	invalid := clientError("InvalidNextToken", "the NextToken is not valid for this request: pass the token from the previous page of the same request")
	raw, err := base64.RawURLEncoding.DecodeString(*token)
	if err != nil {
		return 0, invalid
	}
	rest, ok := strings.CutPrefix(string(raw), key+"|")
	if !ok {
		return 0, invalid
	}
	offset, err := strconv.Atoi(rest)
	if err != nil || offset < 0 {
		return 0, invalid
	}

	return offset, nil
}
