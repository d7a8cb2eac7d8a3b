package httpapi

import "github.com/gorilla/mux"

// publicPages registers the public pages.
func (s *Server) publicPages(r *mux.Router) {}
