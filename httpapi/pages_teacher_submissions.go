package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// stateWords are the plain words and pill colour of each submission
// state, as its teacher reads them.
var stateWords = map[issuer.State][2]string{
	issuer.StateSubmitted: {"Waiting for review", "plain"},
	issuer.StateReturned:  {"Returned to you", "warn"},
	issuer.StateApproved:  {"Approved", "good"},
	issuer.StateRejected:  {"Not approved", "bad"},
}

// submissionLine is one submission in the teacher's list.
type submissionLine struct {
	ID, Achievement string
	State           issuer.State
	Label, Pill     string
	Updated         time.Time
}

// teacherSubmissions lists the teacher's submissions, newest first.
func (s *Server) teacherSubmissions(w http.ResponseWriter, r *http.Request, v *visit) {
	subs, err := s.office.MySubmissions(v.user(), 1000)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	slices.SortFunc(subs, func(a, b issuer.Submission) int { return b.Created.Compare(a.Created) })

	names := s.achievementNames()
	lines := make([]submissionLine, 0, len(subs))
	for _, sub := range subs {
		words := stateWords[sub.State]
		lines = append(lines, submissionLine{ID: sub.ID, Achievement: names(sub.AchievementID),
			State: sub.State, Label: words[0], Pill: words[1], Updated: sub.Updated})
	}
	s.render(w, r, v, http.StatusOK, "teacher_submissions", "My submissions", lines)
}

// memo remembers the answers of look for one page, so that a list reads
// each record it names once.
func memo[T any](look func(id string) T) func(id string) T {
	cache := map[string]T{}
	return func(id string) T {
		v, ok := cache[id]
		if !ok {
			v = look(id)
			cache[id] = v
		}
		return v
	}
}

// achievementNames looks up achievement names for one page.
func (s *Server) achievementNames() func(id string) string {
	return memo(func(id string) string {
		if a, err := s.office.Achievement(id); err == nil {
			return a.Name
		}
		return "An achievement no longer offered"
	})
}

// peopleNames looks up people's names for one page; the viewer, if given,
// is "You".
func (s *Server) peopleNames(viewer *issuer.User) func(id string) string {
	return memo(func(id string) string {
		if viewer != nil && id == viewer.ID {
			return "You"
		}
		if u, err := s.office.User(id); err == nil {
			return u.Name
		}
		return "Someone no longer at the office"
	})
}

// historyLine is one change of a submission's state.
type historyLine struct {
	At              time.Time
	What, By        string
	Comment, Reason string
}

// submissionPage is what teacher_evidence.html shows of a submission.
type submissionPage struct {
	// Kind tells teacher_evidence.html which of its two pages to show.
	Kind                           string
	ID, AchievementID, Achievement string
	State                          issuer.State
	Label, Pill                    string
	History                        []historyLine
	Evidence                       []issuer.Evidence
	// BadgeID is the UUID of the credential an approval issued.
	BadgeID string
	// Comment is the reviewer's last word, shown first when returned.
	Comment string
	// Form is the resubmit form, for a returned submission only.
	Form *evidenceForm
}

// mySubmission returns the viewer's submission id. One that does not
// exist and someone else's get the same answer, so that a page reveals
// nothing about other people's work.
func (s *Server) mySubmission(v *visit, id string) (*issuer.Submission, error) {
	sub, err := s.office.Submission(v.user(), id)
	return sub, hideOthers("submission", id, err)
}

// hideOthers words every "not found" about kind id alike.
func hideOthers(kind, id string, err error) error {
	if errors.Is(err, issuer.ErrNotFound) {
		return fmt.Errorf("%w: you have no %s %s", issuer.ErrNotFound, kind, id)
	}
	return err
}

// teacherSubmission shows one of the teacher's submissions. Someone
// else's is not found: the page never says that it exists.
func (s *Server) teacherSubmission(w http.ResponseWriter, r *http.Request, v *visit) {
	sub, err := s.mySubmission(v, mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	var form *evidenceForm
	if sub.State == issuer.StateReturned {
		form = prefilledForm("/submissions/"+sub.ID, sub.Evidence)
	}
	s.renderSubmission(w, r, v, http.StatusOK, sub, form)
}

// renderSubmission shows a submission: its state in plain words, its
// history newest first with who did what, its evidence, and form.
func (s *Server) renderSubmission(w http.ResponseWriter, r *http.Request, v *visit, status int,
	sub *issuer.Submission, form *evidenceForm) {
	words := stateWords[sub.State]
	page := submissionPage{Kind: "submission", ID: sub.ID, AchievementID: sub.AchievementID,
		Achievement: s.achievementNames()(sub.AchievementID), State: sub.State,
		Label: words[0], Pill: words[1], Evidence: sub.Evidence, Form: form,
		BadgeID: strings.TrimPrefix(sub.CredentialID, "urn:uuid:")}
	if a, err := s.office.Achievement(sub.AchievementID); err == nil && form != nil {
		form.Required = evidenceWords(a.RequiredEvidence)
	}

	names := s.peopleNames(v.user())
	for _, t := range sub.History {
		page.History = append(page.History, historyLine{At: t.At, What: transitionWords(t),
			By: names(t.By), Comment: t.Comment})
		if t.Comment != "" && t.By != sub.EarnerID {
			page.Comment = t.Comment
		}
	}
	slices.Reverse(page.History)
	s.render(w, r, v, status, "teacher_evidence", page.Achievement, page)
}

// transitionWords says what a change of state meant to the teacher.
func transitionWords(t issuer.Transition) string {
	switch {
	case t.To == issuer.StateSubmitted && t.From == issuer.StateReturned:
		return "Resubmitted"
	case t.To == issuer.StateSubmitted:
		return "Submitted"
	case t.To == issuer.StateReturned:
		return "Returned for changes"
	}
	return stateWords[t.To][0]
}

// teacherResubmit answers a return with new evidence. A submission no
// longer returned (reviewed meanwhile, or posted twice) goes back to its
// page, which says where it stands.
func (s *Server) teacherResubmit(w http.ResponseWriter, r *http.Request, v *visit) {
	sub, err := s.mySubmission(v, mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	if sub.State != issuer.StateReturned {
		flash := "This submission is no longer waiting for your changes."
		s.redirect(w, r, "/submissions/"+sub.ID, flash)
		return
	}
	a, err := s.office.Achievement(sub.AchievementID)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	form := readEvidenceForm(r, "/submissions/"+sub.ID, sub.Evidence)
	evidence, err := s.collectEvidence(r, v.user(), a, form)
	if err == nil {
		if _, err = s.office.Resubmit(r.Context(), v.user(), sub.ID, evidence); err == nil {
			s.redirect(w, r, "/submissions/"+sub.ID, "Your new evidence is waiting for review.")
			return
		}
	}

	if form.Error = problemText(err); form.Error == "" {
		s.pageError(w, r, v, err)
		return
	}
	s.renderSubmission(w, r, v, http.StatusBadRequest, sub, form)
}
