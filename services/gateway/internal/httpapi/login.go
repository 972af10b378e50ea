package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/gateway/internal/account"
)

type loginRequest struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=256"`
}

// User is the identity a token carries, as the portal shows it.
type User struct {
	Username string      `json:"username"`
	Name     string      `json:"name"`
	Roles    []auth.Role `json:"roles"`
	Region   string      `json:"region,omitempty"`
	Units    []string    `json:"units,omitempty"`
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	User      User      `json:"user"`
}

// errBadCredentials is the one answer to a wrong password and an unknown user alike, so the answer
// does not tell which usernames exist.
func errBadCredentials() *apperr.Error {
	return apperr.New(apperr.CodeUnauthenticated, "用户名或密码错误", "invalid username or password")
}

func rateLimited(c *gin.Context, wait time.Duration) *apperr.Error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Header("Retry-After", strconv.Itoa(secs))
	return apperr.New(apperr.CodeRateLimited, "登录尝试过于频繁，请"+strconv.Itoa(secs)+"秒后再试",
		"too many attempts").WithExtra("retryAfterSeconds", secs)
}

// login checks, in order: the client IP's attempts across all usernames, the (username, IP) pair's
// attempts, the account's lockout, then the password. Every refusal before the password check is the
// same for known and unknown usernames; the password check costs one argon2id hash for both.
func (d Deps) login(c *gin.Context) {
	var req loginRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	ctx := c.Request.Context()
	setActor(c, actor{Subject: req.Username})
	if ok, wait := d.SourceLimiter.Allow(ctx, "login-source", c.ClientIP()); !ok {
		_ = c.Error(rateLimited(c, wait))
		return
	}
	if ok, wait := d.Limiter.Allow(ctx, "login", req.Username, c.ClientIP()); !ok {
		_ = c.Error(rateLimited(c, wait))
		return
	}
	if locked, wait := d.Lockout.Locked(ctx, req.Username); locked {
		_ = c.Error(rateLimited(c, wait).WithExtra("locked", true))
		return
	}
	var acc *account.Account
	if account.ValidUsername(req.Username) {
		var err error
		if acc, err = d.Accounts.Get(ctx, req.Username); err != nil {
			_ = c.Error(err)
			return
		}
	}
	if !account.Authenticate(acc, req.Password) {
		d.Lockout.Fail(ctx, req.Username)
		_ = c.Error(errBadCredentials())
		return
	}
	d.Lockout.Succeed(ctx, req.Username)
	claims := acc.Claims()
	// The version the token carries must be the published one, or the services' check has nothing to
	// compare with; publishing only ever raises it.
	d.Sessions.PublishSoon(ctx, claims.Subject, claims.SessionVersion)
	tok, exp, err := d.sign(claims)
	if err != nil {
		_ = c.Error(err)
		return
	}
	setActor(c, actorOf(&claims))
	c.JSON(http.StatusOK, tokenResponse{Token: tok, ExpiresAt: exp, User: userOf(&claims)})
}

func (d Deps) sign(c auth.Claims) (string, time.Time, error) {
	exp := time.Now().Add(d.TokenTTL).UTC().Truncate(time.Second)
	c.ExpiresAt = jwt.NewNumericDate(exp)
	tok, err := d.Signer.Sign(c, d.TokenTTL)
	return tok, exp, err
}

func userOf(c *auth.Claims) User {
	return User{Username: c.Subject, Name: c.Name, Roles: c.Roles, Region: c.Region, Units: c.Units}
}

type meResponse struct {
	User
	ExpiresAt time.Time `json:"expiresAt"`
}

func (d Deps) me(c *gin.Context) {
	cl := auth.Caller(c)
	var exp time.Time
	if cl.ExpiresAt != nil {
		exp = cl.ExpiresAt.UTC()
	}
	c.JSON(http.StatusOK, meResponse{User: userOf(cl), ExpiresAt: exp})
}

func (d Deps) jwks(c *gin.Context) {
	// Services cache keys for minutes anyway; a short max-age lets a rotated key spread quickly.
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, auth.JWKS{Keys: []auth.JWK{d.Signer.JWK()}})
}

type serviceTokenRequest struct {
	Service string `json:"service" validate:"required,max=64"`
	Secret  string `json:"secret" validate:"required,max=256"`
}

type serviceTokenResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
	Service   string    `json:"service"`
	Ops       []string  `json:"ops"`
}

// serviceToken is the client-credentials grant of service jobs (CronJobs, other systems), served
// only on the internal listener.
func (d Deps) serviceToken(c *gin.Context) {
	if len(d.ServiceSecrets) == 0 {
		_ = c.Error(apperr.New(apperr.CodeForbidden, "未启用服务令牌", "no service credentials are configured"))
		return
	}
	var req serviceTokenRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	subject := "svc:" + req.Service
	setActor(c, actor{Subject: subject})
	if ok, wait := d.Limiter.Allow(c.Request.Context(), "service", req.Service, c.ClientIP()); !ok {
		_ = c.Error(rateLimited(c, wait))
		return
	}
	want, known := d.ServiceSecrets[req.Service]
	// Digests have one length, so the comparison takes the same time whatever the secrets' lengths.
	got, exp := sha256.Sum256([]byte(req.Secret)), sha256.Sum256([]byte(want))
	if subtle.ConstantTimeCompare(got[:], exp[:]) != 1 || !known {
		_ = c.Error(apperr.New(apperr.CodeUnauthenticated, "服务名或密钥错误", "invalid service credentials"))
		return
	}
	// The token names the operations this client may call; a service checks them with auth.RequireOp.
	claims := auth.Claims{Name: req.Service, Roles: []auth.Role{auth.RoleService}, Ops: d.ServiceOps[req.Service]}
	claims.Subject = subject
	tok, expAt, err := d.sign(claims)
	if err != nil {
		_ = c.Error(err)
		return
	}
	setActor(c, actorOf(&claims))
	c.JSON(http.StatusOK, serviceTokenResponse{Token: tok, ExpiresAt: expAt, Service: req.Service, Ops: claims.Ops})
}
