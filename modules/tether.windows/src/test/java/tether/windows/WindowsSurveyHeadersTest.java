package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tether.testkit.HeaderFact.fact;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tether.testkit.HeaderFact;

/**
 * The constants and x64 layouts {@code --all} reads other processes with, against the Windows SDK headers
 * (tlhelp32.h, winnt.h, winerror.h, psapi.h, winternl.h) and, for the fields of RTL_USER_PROCESS_PARAMETERS
 * winternl.h leaves reserved, phnt's ntrtl.h; every offset is recomputed from the struct's fields by
 * {@link WindowsLayouts}.
 */
class WindowsSurveyHeadersTest {

    static Stream<HeaderFact> facts() {
        String winnt = "winnt.h";
        String winternl = "winternl.h";
        String ntrtl = "phnt ntrtl.h";
        return Stream.of(
                fact("TH32CS_SNAPPROCESS", Kernel32Processes.TH32CS_SNAPPROCESS, 0x00000002, "tlhelp32.h"),
                fact("sizeof(PROCESSENTRY32W)", Kernel32Processes.PROCESSENTRY32W_SIZE, WindowsLayouts.ENTRY_SIZE,
                        "tlhelp32.h"),
                fact("PROCESSENTRY32W.th32ProcessID", Kernel32Processes.PROCESSENTRY32W_PID_OFFSET,
                        WindowsLayouts.ENTRY_PID, "tlhelp32.h"),
                fact("PROCESSENTRY32W.th32ParentProcessID", Kernel32Processes.PROCESSENTRY32W_PARENT_OFFSET,
                        WindowsLayouts.ENTRY_PARENT, "tlhelp32.h"),
                fact("PROCESS_TERMINATE", Kernel32Processes.PROCESS_TERMINATE, 0x0001, winnt),
                fact("PROCESS_VM_READ", Kernel32Processes.PROCESS_VM_READ, 0x0010, winnt),
                fact("PROCESS_QUERY_LIMITED_INFORMATION", Kernel32Processes.PROCESS_QUERY_LIMITED_INFORMATION, 0x1000,
                        winnt),
                fact("TOKEN_QUERY", Kernel32Processes.TOKEN_QUERY, 0x0008, winnt),
                fact("TokenUser in TOKEN_INFORMATION_CLASS", Kernel32Processes.TOKEN_USER_CLASS, 1, winnt),
                fact("ERROR_INVALID_PARAMETER", Kernel32Processes.ERROR_INVALID_PARAMETER, 87, "winerror.h"),
                fact("sizeof(PROCESS_MEMORY_COUNTERS)", Kernel32Processes.PROCESS_MEMORY_COUNTERS_SIZE,
                        WindowsLayouts.MEMORY_COUNTERS_SIZE, "psapi.h"),
                fact("PROCESS_MEMORY_COUNTERS.WorkingSetSize", Kernel32Processes.WORKING_SET_SIZE_OFFSET,
                        WindowsLayouts.WORKING_SET, "psapi.h"),
                fact("ProcessBasicInformation in PROCESSINFOCLASS", Ntdll.PROCESS_BASIC_INFORMATION_CLASS, 0, winternl),
                fact("sizeof(PROCESS_BASIC_INFORMATION)", Ntdll.PROCESS_BASIC_INFORMATION_SIZE,
                        WindowsLayouts.BASIC_INFORMATION_SIZE, winternl),
                fact("PROCESS_BASIC_INFORMATION.PebBaseAddress", Ntdll.PEB_BASE_ADDRESS_OFFSET, WindowsLayouts.PEB_BASE,
                        winternl),
                fact("PEB.ProcessParameters", Ntdll.PEB_PROCESS_PARAMETERS_OFFSET, WindowsLayouts.PEB_PARAMETERS, winternl),
                fact("RTL_USER_PROCESS_PARAMETERS.CurrentDirectory", Ntdll.PARAMETERS_CURRENT_DIRECTORY_OFFSET,
                        WindowsLayouts.CURRENT_DIRECTORY, ntrtl),
                fact("RTL_USER_PROCESS_PARAMETERS.CommandLine, which winternl.h also places at 0x70",
                        Ntdll.PARAMETERS_COMMAND_LINE_OFFSET, WindowsLayouts.COMMAND_LINE, ntrtl),
                fact("RTL_USER_PROCESS_PARAMETERS.Environment", Ntdll.PARAMETERS_ENVIRONMENT_OFFSET,
                        WindowsLayouts.ENVIRONMENT, ntrtl),
                fact("RTL_USER_PROCESS_PARAMETERS.EnvironmentSize", Ntdll.PARAMETERS_ENVIRONMENT_SIZE_OFFSET,
                        WindowsLayouts.ENVIRONMENT_SIZE, ntrtl),
                fact("UNICODE_STRING.Buffer", Ntdll.UNICODE_STRING_BUFFER_OFFSET, WindowsLayouts.STRING_BUFFER,
                        "ntdef.h"),
                fact("CommandLine as winternl.h's Reserved1[16] and Reserved2[10] place ImagePathName (0x60) before it",
                        Ntdll.PARAMETERS_COMMAND_LINE_OFFSET, 16 + 10 * 8 + 16, winternl),
                fact("EnvironmentSize, 0x3F0 as psutil reads it", Ntdll.PARAMETERS_ENVIRONMENT_SIZE_OFFSET, 0x3F0,
                        "psutil psutil/arch/windows"));
    }

    @ParameterizedTest
    @MethodSource("facts")
    void matchesTheHeader(HeaderFact fact) {
        assertEquals(fact.header(), fact.used(), fact.toString());
    }
}
