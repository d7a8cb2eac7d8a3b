package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/laurel-badges/laurel/issuer"
)

// auditPageSize is how many audit records one page shows.
const auditPageSize = 100

// recordsAuditPage is what the audit page shows.
type recordsAuditPage struct {
	Entries []issuer.AuditEntry
	// OlderPath and NewerPath link the neighbouring pages, empty at
	// either end of the record.
	OlderPath, NewerPath string
}

// recordsAudit shows the audit record newest first, a page at a time, as
// an auditor reads it: what happened last, then further back.
func (s *Server) recordsAudit(w http.ResponseWriter, r *http.Request, v *visit) {
	before, err := auditBefore(r.URL.Query().Get("before"))
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	page, err := s.office.RecentAudits(v.user(), before, auditPageSize)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	data := recordsAuditPage{Entries: page.Entries}
	if page.Older > 0 {
		data.OlderPath = fmt.Sprintf("/admin/audit?before=%d", page.Older)
	}
	if page.HasNewer {
		data.NewerPath = "/admin/audit"
		if page.Newer > 0 {
			data.NewerPath = fmt.Sprintf("/admin/audit?before=%d", page.Newer)
		}
	}
	s.render(w, r, v, http.StatusOK, "records_audit", "Audit record", data)
}

// auditBefore reads the page's before parameter: a record number, or
// nothing for the newest page.
func auditBefore(raw string) (uint64, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(raw, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: before must be a record number, not %q", issuer.ErrInvalid, raw)
	}
	return n, nil
}
