// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module is built
// without. Declared here with glibc's prototypes (off64_t is a long on every 64-bit Linux ABI).
#ifndef LLAMA3_CLINUX_SHIM_H
#define LLAMA3_CLINUX_SHIM_H

// Starts writeback of a byte range of a file without waiting for it (man 2 sync_file_range).
int sync_file_range(int fd, long offset, long nbytes, unsigned int flags);

// SYNC_FILE_RANGE_WRITE from <fcntl.h>.
#define LLAMA3_SYNC_FILE_RANGE_WRITE 2u

// Renames with flags (man 2 renameat2): RENAME_EXCHANGE swaps two existing paths atomically.
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

// RENAME_NOREPLACE and RENAME_EXCHANGE from <stdio.h> (linux/fs.h).
#define LLAMA3_RENAME_NOREPLACE 1u
#define LLAMA3_RENAME_EXCHANGE 2u

// Copies bytes from one file to another inside the kernel (man 2 copy_file_range).
long copy_file_range(int fd_in, long *off_in, int fd_out, long *off_out, unsigned long len, unsigned int flags);

#endif
