package httpapi

import "github.com/gorilla/mux"

// reviewerPages registers the reviewer pages.
func (s *Server) reviewerPages(r *mux.Router) {}
