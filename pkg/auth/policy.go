package auth

import "github.com/gin-gonic/gin"

// Scope names where a route takes the region or units it acts on from: always the owner of the
// data (a stored record) or the caller's token, never a request body alone. Each service names its
// own scopes; the router only requires that a route has one.
type Scope string

// Policy is a route's access rule: the roles that may call it (checked before the handler) and
// how its scope is derived (checked inside the handler, where the object is known).
type Policy struct {
	Roles []Role
	Scope Scope
}

// Route is one entry of a service's API table: a method, the full path and its policy.
type Route struct {
	Method, Path string
	Policy       Policy
}

// Router registers routes together with their policies, so that no route exists without one:
// every route it mounts requires one of the policy's roles before its handlers run.
type Router struct {
	g      *gin.RouterGroup
	prefix string
	routes []Route
}

// NewRouter registers routes on g, whose full path prefix is prefix (e.g. "/v1").
func NewRouter(g *gin.RouterGroup, prefix string) *Router {
	return &Router{g: g, prefix: prefix}
}

// Handle mounts method path with policy p: the role check, then handlers. It panics on an empty
// policy, so a route cannot be added without one.
func (r *Router) Handle(method, path string, p Policy, handlers ...gin.HandlerFunc) {
	if len(p.Roles) == 0 || p.Scope == "" {
		panic("auth: route " + method + " " + path + " has no policy")
	}
	for _, role := range p.Roles {
		if !role.Valid() {
			panic("auth: route " + method + " " + path + " names unknown role " + string(role))
		}
	}
	r.routes = append(r.routes, Route{Method: method, Path: r.prefix + path, Policy: p})
	r.g.Handle(method, path, append([]gin.HandlerFunc{Require(p.Roles...)}, handlers...)...)
}

// Routes returns the table of the routes mounted so far.
func (r *Router) Routes() []Route { return r.routes }
