package org.w2lab.jobs.spark;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Lets through only the requests to a Spark web UI (master, workers, drivers) that present the cluster's secret as
 * the password of HTTP basic authentication, any user name. {@code bin/local-cluster} installs it on every daemon
 * with {@code spark.ui.filters} (docs/cluster.md): without it the UIs, executor logs included, answer
 * any local user. Its parameter {@code secret} is {@code spark.org.w2lab.jobs.spark.SecretFilter.param.secret}, which
 * Spark's environment page redacts.
 */
public final class SecretFilter implements Filter {
    private byte[] secret;

    @Override
    public void init(FilterConfig config) throws ServletException {
        String s = config.getInitParameter("secret");
        if (s == null || s.isEmpty()) {
            throw new ServletException("SecretFilter needs its parameter 'secret'");
        }
        secret = s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String header = ((HttpServletRequest) request).getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String credentials;
            try {
                credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                credentials = "";
            }
            int colon = credentials.indexOf(':');
            if (colon >= 0 && MessageDigest.isEqual(secret,
                    credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8))) {
                chain.doFilter(request, response);
                return;
            }
        }
        HttpServletResponse r = (HttpServletResponse) response;
        r.setHeader("WWW-Authenticate", "Basic realm=\"w2lab cluster (password: the cluster's secret)\"");
        r.sendError(HttpServletResponse.SC_UNAUTHORIZED);
    }
}
