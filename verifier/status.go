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

	results := v.status.Check(ctx, doc)
	overall, sentence := status.Summarize(results)
	limit, limited := statusFetchLimit(results)
	switch {
	case overall == status.Active:
		r.add(CheckStatus, Passed, "", sentence)
	case overall == status.Revoked:
		r.add(CheckStatus, Failed, "status.revoked", sentence)
	case overall == status.Suspended:
		r.add(CheckStatus, Failed, "status.suspended", sentence)
	case limited:
		r.add(CheckStatus, Failed, codeTooManyFetches,
			"The status could not be established. "+limit)
	default:
		r.add(CheckStatus, Failed, "status.unknown", sentence)
	}
}

// statusFetchLimit returns the report sentence when a status list was not
// fetched because of the fetch limit. Unless another entry already shows
// the credential revoked or suspended, it takes precedence over the first
// entry's reason: the limit, not that list, is what the reader must know.
func statusFetchLimit(results []status.Result) (string, bool) {
	for _, res := range results {
		if res.Status == status.Unknown {
			if text, ok := fetchLimitText(res.Err); ok {
				return text, true
			}
		}
	}
	return "", false
}
