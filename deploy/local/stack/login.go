package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// DemoPassword is the password of the gateway's demo accounts (docs/gateway.md).
const DemoPassword = "Bianzhi@2026"

// Login signs in at the stack's gateway and returns the bearer token, as the portal does.
func (s *Stack) Login(ctx context.Context, user, password string) (string, error) {
	tok, status, err := postForToken(ctx, s.Gateway+"/api/v1/auth/login", map[string]string{"username": user, "password": password})
	if err == nil && tok == "" {
		err = fmt.Errorf("log in as %s: status %d", user, status)
	}
	return tok, err
}

// ServiceToken gets a service token of the named service from the stack's gateway (the
// service-token grant on its internal listener, with the secret the stack gave that service), as
// the service itself would.
func (s *Stack) ServiceToken(ctx context.Context, service string) (string, error) {
	secret, ok := s.secrets[service]
	if !ok {
		return "", fmt.Errorf("no service %q in the stack", service)
	}
	tok, status, err := postForToken(ctx, s.gatewayInternal+"/api/v1/auth/service-token", map[string]string{"service": service, "secret": secret})
	if err == nil && tok == "" {
		err = fmt.Errorf("service token of %s: status %d", service, status)
	}
	return tok, err
}

// postForToken posts a JSON body and returns the "token" of the answer ("" if none) and its status.
func postForToken(ctx context.Context, url string, in map[string]string) (string, int, error) {
	body, _ := json.Marshal(in)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.Token, resp.StatusCode, nil
}
