/**
 * core/azure/logs: a cloud job's log files on demand. `JobLogs.list()` gives every step's files (per node and
 * process: stdout, stderr, entry script log, error; then job_result/job_error and the driver's std_log; then
 * system logs), `JobLogs.read(file, offset)` their bytes from an offset, through a fresh link when one expired.
 */
export { JobLogs, type JobLogsOptions, type JobLogFile, type JobLogStep, type JobLogList } from './job-logs';
export { classifyLog, compareLogs, sectionName, sectionTitle, sizeText, type LogClass, type LogKind, type LogSection } from './catalog';
export { findLogFile, stepsNamed, type LogFileMatch } from './find';
export { localLogPath, updateLocalCopy, type LocalCopy } from './local-copy';
