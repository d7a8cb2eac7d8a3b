package verifier

import (
	"context"

	"github.com/laurel-badges/laurel/status"
)

// checkStatus checks every credentialStatus entry (Bitstring Status List
// §3.2; OB 3.0 §9). Revoked and suspended credentials fail, and so does a
// status that could not be established: an unknown status is never
// reported as valid.
func (v *Verifier) checkStatus(ctx context.Context, r *Report, doc map[string]any) {
	if doc["credentialStatus"] == nil {
		r.add(CheckStatus, NotChecked, "status.none", "The credential has no status entry, so it cannot be revoked.")
		return
	}

	overall, sentence := status.Summarize(v.status.Check(ctx, doc))
	switch overall {
	case status.Active:
		r.add(CheckStatus, Passed, "", sentence)
	case status.Revoked:
		r.add(CheckStatus, Failed, "status.revoked", sentence)
	case status.Suspended:
		r.add(CheckStatus, Failed, "status.suspended", sentence)
	default:
		r.add(CheckStatus, Failed, "status.unknown", sentence)
	}
}
