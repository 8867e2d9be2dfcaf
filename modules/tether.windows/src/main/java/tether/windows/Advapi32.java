package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** The advapi32 functions with which {@code --all} tells whose a process is: its token's user. */
interface Advapi32 extends Library {

    /** @param token out: room for one HANDLE */
    boolean OpenProcessToken(Pointer process, int desiredAccess, Pointer token);

    /** @param returnLength out: the bytes written, or needed */
    boolean GetTokenInformation(Pointer token, int informationClass, Pointer information, int length,
            int[] returnLength);
}
