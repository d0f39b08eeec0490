# Varnish in front of Lärportalen's gunicorn (Debian's varnish, VCL 4.1). README: Drift → Varnish.
#
# - Caches only what the portal marks `Cache-Control: public, …, s-maxage=…` (anonymous pages,
#   listings, search, feeds, the sitemap, open data, SKOS, API listings); everything else is passed.
# - Strips cookies from anonymous requests; passes /admin/ (login, previews), logged-in users
#   (session cookie), visitors with a message waiting, Authorization, and every method but GET/HEAD.
# - PURGE (Wagtail's frontend cache, when the portal's content version moves) from an address in
#   `purgers` bans everything: any change may show on any page.
# - No grace: an expired object (s-maxage ends at the next scheduled go-live or expiry) is never
#   served while a new one is fetched.
#
# scripts/services.sh writes a copy with its own backend address; in production edit the backend.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        ban("obj.status != 0");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Anonymous: no cookie can change the page (the portal bypasses its own cache for the ones above).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "s-maxage"
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        # Remember for a moment not to wait for another request's fetch of this address.
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
}
