package httpapi

import "github.com/gorilla/mux"

// recordsPages registers the administrators' record pages.
func (s *Server) recordsPages(r *mux.Router) {}
