package org.newbornregistry.fhir.server;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Limits the size of FHIR request bodies. The request's stream fails with a 413
 * {@link PayloadTooLargeException} as soon as more than the limit has been read (or at once when
 * Content-Length already says so); the exception is raised inside HAPI's request handling, so
 * the client gets HAPI's usual OperationOutcome and nothing is stored. Chunked bodies are
 * counted as they stream, so a large body is never held in memory.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestSizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private static PayloadTooLargeException tooLarge(long maxBytes) {
        PayloadTooLargeException exception = new PayloadTooLargeException(
                NbrError.CONTENT_TOO_LARGE.code() + ": request body is larger than the limit of " + maxBytes + " bytes");
        exception.setOperationOutcome(RegistryErrors.outcome(NbrError.CONTENT_TOO_LARGE,
                "request body is larger than the limit of " + maxBytes + " bytes", null));
        return exception;
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            long declared = getContentLengthLong();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    checkDeclared();
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    checkDeclared();
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void checkDeclared() {
                    if (declared > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                }

                private void count(int n) {
                    read += n;
                    if (read > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
