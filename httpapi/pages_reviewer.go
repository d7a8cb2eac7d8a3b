package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
)

// reviewerPages registers the reviewer pages: the queue, one submission
// with its decision forms, and the evidence files reviewers open.
func (s *Server) reviewerPages(r *mux.Router) {
	r.HandleFunc("/files/{id}", s.signedIn(s.evidenceFile,
		issuer.RoleEarner, issuer.RoleReviewer, issuer.RoleAdmin)).Methods(http.MethodGet)
}

// plainNotFound replaces the office's not-found error, which names
// storage keys, with a sentence for the page; other errors pass.
func plainNotFound(err error, sentence string) error {
	if errors.Is(err, issuer.ErrNotFound) {
		return fmt.Errorf("%w: %s", issuer.ErrNotFound, sentence)
	}
	return err
}
