package issuer

import (
	"slices"

	"github.com/laurel-badges/laurel/status"
)

// CanSuspend reports whether the office gives its credentials a
// suspension entry (Config.StatusPurposes), so pages offer suspension only
// where it can work. A credential issued before suspension was turned on
// still cannot be suspended; Suspend says so.
func (s *Service) CanSuspend() bool {
	return slices.Contains(s.purposes, status.PurposeSuspension)
}
