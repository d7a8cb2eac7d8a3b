package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// recordsPages registers the administrators' record pages: the people who
// use Laurel, the credentials it issued, its audit record and the
// professional-learning report. Every one is for administrators only.
func (s *Server) recordsPages(r *mux.Router) {
	admin := func(h pageHandler) http.HandlerFunc { return s.signedIn(h, issuer.RoleAdmin) }
	get, post := http.MethodGet, http.MethodPost

	r.HandleFunc("/admin/people", admin(s.recordsPeople)).Methods(get)
	r.HandleFunc("/admin/people", admin(s.recordsInvite)).Methods(post)
	r.HandleFunc("/admin/people/import", admin(s.recordsImport)).Methods(post)
	r.HandleFunc("/admin/people/{id}/role", admin(s.recordsSetRole)).Methods(post)
	r.HandleFunc("/admin/people/{id}/invite", admin(s.recordsReinvite)).Methods(post)

	r.HandleFunc("/admin/credentials", admin(s.recordsCredentials)).Methods(get)
	r.HandleFunc("/admin/credentials/{id}/{action:revoke|suspend|reinstate}",
		admin(s.recordsChangeStanding)).Methods(post)

	r.HandleFunc("/admin/audit", admin(s.recordsAudit)).Methods(get)
	r.HandleFunc("/admin/report", admin(s.recordsReport)).Methods(get)
	r.HandleFunc("/admin/report.csv", admin(s.recordsReportCSV)).Methods(get)
}

// recordsCredential is an issued credential as the record pages list it,
// with its public page and the pill its standing shows.
type recordsCredential struct {
	issuer.CredentialSummary
	UUID string
	// Path is the credential's public page on this site.
	Path string
	// Pill is what the "standing" partial shows: valid, suspended,
	// revoked or expired.
	Pill string
}

// credentialRows prepares credentials for a page, judging expiry at
// now.
func credentialRows(list []issuer.CredentialSummary, now time.Time) []recordsCredential {
	out := make([]recordsCredential, 0, len(list))
	for _, c := range list {
		uuid := strings.TrimPrefix(c.ID, "urn:uuid:")
		rc := recordsCredential{CredentialSummary: c, UUID: uuid, Path: "/credentials/" + uuid,
			Pill: "valid"}
		switch {
		case c.Standing == issuer.StandingRevoked || c.Standing == issuer.StandingSuspended:
			rc.Pill = string(c.Standing)
		case c.Expired(now):
			rc.Pill = "expired"
		}
		out = append(out, rc)
	}
	return out
}

// dateLayout is how the record pages' date fields read and write a day,
// the format of an HTML date input (and of ISO 8601).
const dateLayout = "2006-01-02"

// parseDay reads a date field: the start of that day in UTC, or the zero
// time when the field is empty. Laurel stores and shows times in UTC, so
// a day means a UTC day.
func parseDay(field, value string) (time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, value)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: the %s date %q is not a date like 2026-07-01",
			issuer.ErrInvalid, field, value)
	}
	return t, nil
}

// dayAfter is the exclusive end of an inclusive last day; zero stays zero
// (no end).
func dayAfter(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.AddDate(0, 0, 1)
}
