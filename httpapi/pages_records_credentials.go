package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// credentialsShown bounds one answer of the credentials search: enough
// for a school, few enough for a phone; a narrower search finds the rest.
const credentialsShown = 200

// maxReason bounds the reason given for a change of standing, which goes
// into the credential's history and the audit record.
const maxReason = 1000

// recordsCredentialsPage is what the credentials page shows.
type recordsCredentialsPage struct {
	Query        credentialSearch
	Achievements []issuer.Achievement
	Results      []recordsCredential
	// More says the search found more than it shows.
	More bool
	// Back is the search, as a query string the status forms post back so
	// the page they return to shows the same results.
	Back       string
	CanSuspend bool
	Error      string
	Shown      int
}

// credentialSearch is the search form as typed.
type credentialSearch struct {
	Text, Achievement, Status, From, To string
}

// searchOf reads the search from query parameters.
func searchOf(q url.Values) credentialSearch {
	return credentialSearch{Text: q.Get("q"), Achievement: q.Get("achievement"),
		Status: q.Get("status"), From: q.Get("from"), To: q.Get("to")}
}

// encode writes the search's non-empty fields as a query string.
func (f credentialSearch) encode() string {
	v := url.Values{}
	fields := map[string]string{"q": f.Text, "achievement": f.Achievement, "status": f.Status,
		"from": f.From, "to": f.To}
	for k, val := range fields {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v.Encode()
}

// path is the credentials page showing the search's results.
func (f credentialSearch) path() string {
	if q := f.encode(); q != "" {
		return "/admin/credentials?" + q
	}
	return "/admin/credentials"
}

// query checks the search and turns it into the office's query; the to
// date is the last day searched, included.
func (f credentialSearch) query() (issuer.CredentialQuery, error) {
	q := issuer.CredentialQuery{Text: f.Text, AchievementID: f.Achievement,
		Standing: issuer.Standing(f.Status), Limit: credentialsShown + 1}
	switch q.Standing {
	case "", issuer.StandingActive, issuer.StandingSuspended, issuer.StandingRevoked:
	default:
		return q, fmt.Errorf("%w: the status %q is not active, suspended or revoked",
			issuer.ErrInvalid, f.Status)
	}

	from, err := parseDay("from", f.From)
	if err != nil {
		return q, err
	}
	to, err := parseDay("to", f.To)
	if err != nil {
		return q, err
	}
	if !to.IsZero() && from.After(to) {
		return q, fmt.Errorf("%w: the from date is after the to date", issuer.ErrInvalid)
	}
	q.From, q.To = from, dayAfter(to)
	return q, nil
}

// recordsCredentials searches the issued credentials, with forms to
// revoke, suspend and reinstate each.
func (s *Server) recordsCredentials(w http.ResponseWriter, r *http.Request, v *visit) {
	search := searchOf(r.URL.Query())
	page := recordsCredentialsPage{Query: search, Back: search.encode(),
		CanSuspend: s.office.CanSuspend(), Shown: credentialsShown}
	achievements, err := s.office.Achievements(true)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	page.Achievements = achievements

	q, err := search.query()
	if err != nil {
		page.Error = plainMessage(err)
		s.render(w, r, v, http.StatusBadRequest, "records_credentials", "Credentials", page)
		return
	}
	found, err := s.office.FindCredentials(v.user(), q)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	page.More = len(found) > credentialsShown
	page.Results = credentialRows(found[:min(len(found), credentialsShown)], s.now())
	s.render(w, r, v, http.StatusOK, "records_credentials", "Credentials", page)
}

// standingChange is one of the changes of standing the credentials page
// offers: the office's method and what the page says once it is done.
type standingChange struct {
	apply func(s *issuer.Service, ctx context.Context, actor *issuer.User,
		id, reason string) (*issuer.Credential, error)
	done string
}

var standingChanges = map[string]standingChange{
	"revoke":    {(*issuer.Service).Revoke, "The credential is revoked, for good."},
	"suspend":   {(*issuer.Service).Suspend, "The credential is suspended until you reinstate it."},
	"reinstate": {(*issuer.Service).Reinstate, "The credential is reinstated."},
}

// recordsChangeStanding revokes, suspends or reinstates a credential and
// returns to the search it was found by.
func (s *Server) recordsChangeStanding(w http.ResponseWriter, r *http.Request, v *visit) {
	vars := mux.Vars(r)
	change := standingChanges[vars["action"]]
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if len(reason) > maxReason {
		err := fmt.Errorf("%w: a reason has at most %d characters", issuer.ErrInvalid, maxReason)
		s.pageError(w, r, v, err)
		return
	}

	if _, err := change.apply(s.office, r.Context(), v.user(), vars["id"], reason); err != nil {
		s.pageError(w, r, v, err)
		return
	}
	back, _ := url.ParseQuery(r.PostFormValue("back"))
	s.redirect(w, r, searchOf(back).path()+"#c-"+url.PathEscape(vars["id"]), change.done)
}
