package auth

import "github.com/gin-gonic/gin"

// Scope names where a route takes the region or units it acts on from. Each service declares its
// own scopes (the objects differ); all of them come from the owner of the data (a stored unit, a
// stored case) or the caller's own token, never from a request body alone.
type Scope string

// Policy is a route's access rule: the roles that may call it and how its scope is derived.
type Policy struct {
	Roles []Role
	Scope Scope
}

// Route is one entry of a service's API table: a method, the full path and its policy.
type Route struct {
	Method, Path string
	Policy       Policy
}

// Router registers routes together with their policies, so that no route exists without one: the
// roles are checked before the handler runs (Require), the scope inside it, where the object and
// so its owner's data are known.
type Router struct {
	g      *gin.RouterGroup
	prefix string
	routes []Route
}

// NewRouter registers routes on g, whose full path prefix is prefix (e.g. "/v1").
func NewRouter(g *gin.RouterGroup, prefix string) *Router {
	return &Router{g: g, prefix: prefix}
}

// Handle serves method path with hs (route middleware such as a body limit, then the handler)
// behind the policy's roles. It panics on a policy without roles or scope: a route without a
// policy is a programming error, found when the service starts.
func (r *Router) Handle(method, path string, p Policy, hs ...gin.HandlerFunc) {
	if len(p.Roles) == 0 || p.Scope == "" {
		panic("auth: route " + method + " " + r.prefix + path + " has no policy")
	}
	r.routes = append(r.routes, Route{Method: method, Path: r.prefix + path, Policy: p})
	r.g.Handle(method, path, append([]gin.HandlerFunc{Require(p.Roles...)}, hs...)...)
}

// Routes returns the table of the routes registered so far.
func (r *Router) Routes() []Route { return r.routes }

// Undeclared checks a served engine against its declared table: it returns a line for every route
// served under prefix without a policy in table, and for every declared policy that is empty or
// names an unknown role. Each service's policy test runs it.
func Undeclared(served gin.RoutesInfo, prefix string, table []Route) []string {
	declared := map[string]Policy{}
	for _, r := range table {
		declared[r.Method+" "+r.Path] = r.Policy
	}
	var out []string
	for _, r := range served {
		if len(r.Path) < len(prefix) || r.Path[:len(prefix)] != prefix {
			continue
		}
		p, ok := declared[r.Method+" "+r.Path]
		if !ok {
			out = append(out, r.Method+" "+r.Path+" is served without a declared policy")
			continue
		}
		if len(p.Roles) == 0 || p.Scope == "" {
			out = append(out, r.Method+" "+r.Path+" has an empty policy")
		}
		for _, role := range p.Roles {
			if !role.Valid() {
				out = append(out, r.Method+" "+r.Path+": unknown role "+string(role))
			}
		}
	}
	return out
}
