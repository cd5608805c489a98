package ssmcanceltest

import "fmt"

// RegisterNodes adds managed nodes to the server's inventory. While the
// inventory is empty, the server accepts any well-formed instance ID. Once it
// holds a node, SendCommand and CancelCommand reject instance IDs that are not
// registered with InvalidInstanceId.
func (s *Server) RegisterNodes(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	for _, id := range ids {
		s.registered[id] = true
		delete(s.terminated, id)
	}
}

// TerminateNode marks a managed node as terminated (or deregistered). From
// then on SendCommand, and CancelCommand calls that list the node in
// InstanceIds, are rejected as a whole with InvalidInstanceId, even when the
// command was sent to the node earlier. A CancelCommand without InstanceIds
// still cancels the whole command. The node's existing invocations keep their
// lifecycle.
func (s *Server) TerminateNode(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.terminated[id] = true
}

// SetNodeBehavior sets how a node runs the commands sent to it from now on.
// Invocations created earlier keep the behavior they started with.
func (s *Server) SetNodeBehavior(id string, b NodeBehavior) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if b == Succeed {
		delete(s.behaviors, id)
		return
	}
	s.behaviors[id] = b
}

// checkNodesLocked returns an InvalidInstanceId error for the first node that
// is terminated, or not registered while the inventory is in use. The caller
// holds s.mu.
func (s *Server) checkNodesLocked(ids []string) *apiError {
	for _, id := range ids {
		if s.terminated[id] {
			return clientError("InvalidInstanceId", fmt.Sprintf("instance %s is terminated or deregistered", id))
		}
		if len(s.registered) > 0 && !s.registered[id] {
			return clientError("InvalidInstanceId", fmt.Sprintf("instance %s is not a registered managed node", id))
		}
	}

	return nil
}
