package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// reviewCommentLimit is the longest comment the office keeps.
const reviewCommentLimit = 5000

// reviewPage is what the submission template shows: the teacher's side
// (evidence and history), the achievement's side (criteria and rubric),
// and the decision forms while the submission waits.
type reviewPage struct {
	Sub          *issuer.Submission
	Achievement  *issuer.Achievement
	Teacher      string
	Resubmission bool
	Evidence     []reviewEvidence
	History      []reviewStep
	// Open says the submission waits for a decision, so the forms show.
	Open bool
	// Form is the decision posted last, re-shown with its problem.
	Form reviewForm
}

// reviewEvidence is one piece of evidence with a heading: its name, or
// its place in the list when the teacher gave none.
type reviewEvidence struct {
	issuer.Evidence
	Title string
}

// reviewStep is one transition of the submission, with the name of who
// made it.
type reviewStep struct {
	Label, By, Comment string
	At                 time.Time
}

// reviewForm is a posted decision.
type reviewForm struct {
	// Action is approve, return or reject.
	Action, Comment, Level, Error string
}

// reviewShow shows one submission with everything a reviewer needs
// to decide on it.
func (s *Server) reviewShow(w http.ResponseWriter, r *http.Request, v *visit) {
	page, err := s.reviewPageFor(v.user(), mux.Vars(r)["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.render(w, r, v, http.StatusOK, "review_submission", "Review: "+page.Achievement.Name, page)
}

// reviewPageFor gathers a submission, its achievement and the names its
// history mentions.
func (s *Server) reviewPageFor(u *issuer.User, id string) (*reviewPage, error) {
	sub, err := s.office.Submission(u, id)
	if err != nil {
		return nil, plainNotFound(err, "there is no submission "+id)
	}
	a, err := s.office.Achievement(sub.AchievementID)
	if err != nil {
		return nil, plainNotFound(err, "the achievement of submission "+id+" no longer exists")
	}

	person := s.peopleNames(nil)
	page := &reviewPage{Sub: sub, Achievement: a, Teacher: person(sub.EarnerID),
		Resubmission: wasReturned(sub), Open: sub.State == issuer.StateSubmitted}

	for i, e := range sub.Evidence {
		title := strings.TrimSpace(e.Name)
		if title == "" {
			title = fmt.Sprintf("Evidence %d", i+1)
		}
		page.Evidence = append(page.Evidence, reviewEvidence{Evidence: e, Title: title})
	}

	for _, t := range sub.History {
		step := reviewStep{Label: reviewStepLabel(t), By: person(t.By), At: t.At}
		step.Comment = t.Comment
		page.History = append(page.History, step)
	}
	return page, nil
}

// reviewStepLabel says what a transition did, in the reviewer's words.
func reviewStepLabel(t issuer.Transition) string {
	switch t.To {
	case issuer.StateSubmitted:
		if t.From == issuer.StateReturned {
			return "Resubmitted"
		}
		return "Submitted"
	case issuer.StateReturned:
		return "Returned to the teacher"
	case issuer.StateApproved:
		return "Approved"
	case issuer.StateRejected:
		return "Rejected"
	}
	return string(t.To)
}

// reviewDecide records a reviewer's decision: approve (which issues the
// credential), return to the teacher, or reject. A decision on a
// submission someone already decided is refused with 409, never applied
// twice.
func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request, v *visit) {
	vars := mux.Vars(r)
	page, err := s.reviewPageFor(v.user(), vars["id"])
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	if !page.Open {
		s.reviewConflict(w, r, v, page)
		return
	}

	page.Form = reviewForm{Action: vars["action"], Level: r.PostFormValue("level"),
		Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	if page.Form.Error = page.Form.problem(page.Achievement); page.Form.Error != "" {
		s.reviewAgain(w, r, v, page)
		return
	}

	flash, err := s.reviewApply(r.Context(), v.user(), page)
	s.reviewAnswer(w, r, v, page, flash, err)
}

// problem returns what is wrong with a posted decision, in words the
// reviewer can act on, or "".
func (f reviewForm) problem(a *issuer.Achievement) string {
	switch {
	case f.Action == "return" && f.Comment == "":
		return "Say what the teacher should add or change, so they can resubmit."
	case f.Action == "reject" && f.Comment == "":
		return "Say why the submission is rejected, so the teacher knows."
	case len(f.Comment) > reviewCommentLimit:
		return fmt.Sprintf("A comment can be at most %d characters.", reviewCommentLimit)
	case f.Action == "approve" && len(a.Rubric) > 0 && f.Level == "":
		return "Choose the rubric level the evidence reaches."
	case f.Level != "" && !slices.ContainsFunc(a.Rubric, f.reached):
		return "Choose one of this achievement's rubric levels."
	}
	return ""
}

// reached reports whether l is the level the reviewer chose.
func (f reviewForm) reached(l issuer.RubricLevel) bool { return l.ID == f.Level }

// reviewApply applies the decision and returns the message for the queue.
func (s *Server) reviewApply(ctx context.Context, u *issuer.User, page *reviewPage) (
	string, error) {
	id, f := page.Sub.ID, page.Form
	switch f.Action {
	case "approve":
		in := issuer.ApproveInput{RubricLevel: f.Level, Comment: f.Comment}
		if _, err := s.office.Approve(ctx, u, id, in); err != nil {
			return "", fmt.Errorf("approving submission: %w", err)
		}
		return "Approved: credential issued to " + page.Teacher + ".", s.reviewCheckApprover(u, id)
	case "return":
		if _, err := s.office.Return(ctx, u, id, f.Comment); err != nil {
			return "", fmt.Errorf("returning submission: %w", err)
		}
		return "Returned to " + page.Teacher + " with your comment.", nil
	}
	if _, err := s.office.Reject(ctx, u, id, f.Comment); err != nil {
		return "", fmt.Errorf("rejecting submission: %w", err)
	}
	return fmt.Sprintf("Rejected: %s's submission for %s is closed.",
		page.Teacher, page.Achievement.Name), nil
}

// reviewCheckApprover reports a conflict when another reviewer's
// approval won a race with u's: Approve then returns the credential
// already issued, and u must not be told they issued it.
func (s *Server) reviewCheckApprover(u *issuer.User, id string) error {
	sub, err := s.office.Submission(u, id)
	if err != nil {
		return fmt.Errorf("reading the approved submission: %w", err)
	}
	for _, t := range slices.Backward(sub.History) {
		if t.To == issuer.StateApproved && t.By != u.ID {
			return fmt.Errorf("%w: approved by someone else", issuer.ErrConflict)
		}
	}
	return nil
}

// reviewAnswer answers a decision: back to the queue when it was
// recorded, the 409 page when someone else decided first, the form again
// when the office refused the input.
func (s *Server) reviewAnswer(w http.ResponseWriter, r *http.Request, v *visit, page *reviewPage,
	flash string, err error) {
	switch {
	case errors.Is(err, issuer.ErrConflict):
		if fresh, ferr := s.reviewPageFor(v.user(), page.Sub.ID); ferr == nil {
			page = fresh
		}
		s.reviewConflict(w, r, v, page)
	case errors.Is(err, issuer.ErrInvalid):
		_, detail, found := strings.Cut(err.Error(), issuer.ErrInvalid.Error()+": ")
		if !found {
			detail = err.Error()
		}
		page.Form.Error = "Check the form: " + detail
		s.reviewAgain(w, r, v, page)
	case err != nil:
		s.pageError(w, r, v, err)
	default:
		s.redirect(w, r, "/review", flash)
	}
}

// reviewAgain shows the submission again with the problem of the
// decision posted, and 400.
func (s *Server) reviewAgain(w http.ResponseWriter, r *http.Request, v *visit, page *reviewPage) {
	title := "Review: " + page.Achievement.Name
	s.render(w, r, v, http.StatusBadRequest, "review_submission", title, page)
}

// reviewConflictPage explains why a decision was refused.
type reviewConflictPage struct {
	ID    string
	State issuer.State
	// Last is the transition that decided the submission, when known.
	Last *reviewStep
}

// reviewConflict answers 409: the submission is no longer waiting, most
// often because another reviewer decided it first.
func (s *Server) reviewConflict(w http.ResponseWriter, r *http.Request, v *visit,
	page *reviewPage) {
	data := reviewConflictPage{ID: page.Sub.ID, State: page.Sub.State}
	if n := len(page.History); n > 0 {
		data.Last = &page.History[n-1]
	}
	s.log.DebugContext(r.Context(), "decision refused", "request_id", requestID(r),
		"submission_id", page.Sub.ID, "state", page.Sub.State)
	s.render(w, r, v, http.StatusConflict, "review_conflict", "Already decided", data)
}
