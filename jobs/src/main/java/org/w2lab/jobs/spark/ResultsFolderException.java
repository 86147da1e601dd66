package org.w2lab.jobs.spark;

/**
 * A results folder that cannot be used as asked: it cannot be written (a full disk, no permission), it holds another
 * configuration of the experiment, or one of its checkpoints is damaged. The message says what to do; the command
 * line prints it alone and exits with status 2.
 */
public final class ResultsFolderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResultsFolderException(String message) {
        super(message);
    }
}
