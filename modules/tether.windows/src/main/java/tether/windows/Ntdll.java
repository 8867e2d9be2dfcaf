package tether.windows;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The one ntdll function {@code --all} calls, where another process's PEB is found, and the x64 layouts of
 * what it leads to: PROCESS_BASIC_INFORMATION and PEB as the SDK's winternl.h gives them, and the fields of
 * RTL_USER_PROCESS_PARAMETERS that winternl.h leaves reserved (CurrentDirectory, Environment,
 * EnvironmentSize) as phnt's ntrtl.h names them (winsiderss/phnt), the layout psutil reads. {@code
 * WindowsSurveyHeadersTest} derives each offset from its fields.
 */
interface Ntdll extends Library {

    /** ProcessBasicInformation in PROCESSINFOCLASS (winternl.h). */
    int PROCESS_BASIC_INFORMATION_CLASS = 0;
    /** sizeof(PROCESS_BASIC_INFORMATION) and the offset of PebBaseAddress, after the exit status's PVOID. */
    int PROCESS_BASIC_INFORMATION_SIZE = 48;
    int PEB_BASE_ADDRESS_OFFSET = 8;
    /** PEB.ProcessParameters: four BYTEs and two PVOIDs (winternl.h), or Mutant, ImageBaseAddress, Ldr (phnt). */
    int PEB_PROCESS_PARAMETERS_OFFSET = 0x20;

    /**
     * RTL_USER_PROCESS_PARAMETERS: CurrentDirectory.DosPath (a UNICODE_STRING, after four ULONGs and five
     * HANDLE and ULONG fields), CommandLine, Environment, and EnvironmentSize (after the window fields, four
     * UNICODE_STRINGs and the 32 RTL_DRIVE_LETTER_CURDIRs); read up to the end of EnvironmentSize.
     */
    int PARAMETERS_CURRENT_DIRECTORY_OFFSET = 0x38;
    int PARAMETERS_COMMAND_LINE_OFFSET = 0x70;
    int PARAMETERS_ENVIRONMENT_OFFSET = 0x80;
    int PARAMETERS_ENVIRONMENT_SIZE_OFFSET = 0x3F0;
    int PARAMETERS_READ = PARAMETERS_ENVIRONMENT_SIZE_OFFSET + 8;
    /** UNICODE_STRING: Length (bytes, USHORT), MaximumLength, then the Buffer pointer. */
    int UNICODE_STRING_BUFFER_OFFSET = 8;

    /** @return an NTSTATUS, negative on failure */
    int NtQueryInformationProcess(Pointer process, int informationClass, Pointer information, int length,
            int[] returnLength);
}
