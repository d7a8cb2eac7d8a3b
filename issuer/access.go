package issuer

import (
	"encoding/json"
	"fmt"
	"slices"
)

// require checks that actor holds one of roles, recording a refusal in the
// audit log (denied attempts are part of what an auditor must see).
func (s *Service) require(actor *User, action string, roles ...Role) error {
	if actor == nil {
		return ErrUnauthorized
	}
	if slices.Contains(roles, actor.Role) {
		return nil
	}
	s.AuditDenied(actor.ID, action, "")
	return fmt.Errorf("%w: %s needs role %v", ErrForbidden, action, roles)
}

func decode(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding record: %w", err)
	}
	return nil
}
