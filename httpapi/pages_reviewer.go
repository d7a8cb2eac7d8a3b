package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// reviewQueueLimit bounds the queue page. A district's queue is a few
// dozen at most; past this the oldest are shown, as they are due first.
const reviewQueueLimit = 200

// reviewerPages registers the reviewer pages: the queue, one submission
// with its decision forms, and the evidence files reviewers open.
func (s *Server) reviewerPages(r *mux.Router) {
	staff := []issuer.Role{issuer.RoleReviewer, issuer.RoleAdmin}
	r.HandleFunc("/review", s.signedIn(s.reviewQueue, staff...)).Methods(http.MethodGet)
	r.HandleFunc("/review/{id}", s.signedIn(s.reviewShow, staff...)).Methods(http.MethodGet)
	r.HandleFunc("/review/{id}/{action:approve|return|reject}",
		s.signedIn(s.reviewDecide, staff...)).Methods(http.MethodPost)
	r.HandleFunc("/files/{id}", s.signedIn(s.evidenceFile,
		issuer.RoleEarner, issuer.RoleReviewer, issuer.RoleAdmin)).Methods(http.MethodGet)
}

// reviewQueuePage is what the queue template shows.
type reviewQueuePage struct {
	Items []reviewQueueItem
	// Limited says the queue holds more than the page shows.
	Limited bool
	Limit   int
}

// reviewQueueItem is one submission waiting for review.
type reviewQueueItem struct {
	ID, Achievement, Teacher string
	// Submitted is when the submission entered the queue: its last
	// (re)submission, which is what the reviewer has kept waiting.
	Submitted time.Time
	// Resubmission marks work a reviewer returned before.
	Resubmission bool
}

// reviewQueue is the reviewer's home: every submission waiting, oldest
// first, so the longest wait is dealt with first.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	subs, err := s.office.Queue(v.user(), reviewQueueLimit+1)
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	page := reviewQueuePage{Limit: reviewQueueLimit, Limited: len(subs) > reviewQueueLimit}
	achievements, people := s.achievementNames(), s.peopleNames(nil)
	for _, sub := range subs[:min(len(subs), reviewQueueLimit)] {
		page.Items = append(page.Items, reviewQueueItem{ID: sub.ID,
			Achievement: achievements(sub.AchievementID), Teacher: people(sub.EarnerID),
			Submitted: sub.Updated, Resubmission: wasReturned(&sub)})
	}
	s.render(w, r, v, http.StatusOK, "review_queue", "Review queue", page)
}

// wasReturned reports whether a reviewer returned the submission before:
// the reviewer should then check what changed since the last comment.
func wasReturned(sub *issuer.Submission) bool {
	for _, t := range sub.History {
		if t.From == issuer.StateReturned {
			return true
		}
	}
	return false
}

// plainNotFound replaces the office's not-found error, which names
// storage keys, with a sentence for the page; other errors pass.
func plainNotFound(err error, sentence string) error {
	if errors.Is(err, issuer.ErrNotFound) {
		return fmt.Errorf("%w: %s", issuer.ErrNotFound, sentence)
	}
	return err
}
