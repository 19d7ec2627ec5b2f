#include "install.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "store.h"
#include "util.h"

int install_pattern(const char *bin, const char *config_path, char *buf, size_t size)
{
        int n;
        if (strcmp(config_path, CONFIG_DEFAULT_PATH) == 0)
                n = snprintf(buf, size, "|%s capture %%P %%i %%s %%t %%u %%g %%d %%F %%c %%e", bin);
        else
                n = snprintf(buf, size, "|%s capture -c %s %%P %%i %%s %%t %%u %%g %%d %%F %%c %%e", bin,
                             config_path);
        if (n < 0 || (size_t)n >= size || n > CORE_PATTERN_MAX)
                return -ENAMETOOLONG;
        return n;
}

static int read_sysctl(const char *dir, const char *name, char **ret)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        char *v;
        int r = read_file_at(AT_FDCWD, path, 4096, &v, NULL, NULL);
        if (r < 0)
                return r;
        v[strcspn(v, "\n")] = '\0';
        *ret = v;
        return 0;
}

static int write_sysctl(const char *dir, const char *name, const char *value)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC);
        if (fd < 0)
                return -errno;
        /* core_pattern takes the value in one write; an empty value needs "\n" */
        char buf[256];
        int n = snprintf(buf, sizeof(buf), "%s\n", value);
        if (n < 0 || (size_t)n >= sizeof(buf))
                return -ENAMETOOLONG;
        return write_full(fd, buf, (size_t)n);
}

/* "|BIN capture ..." of ours? Then the config path in it (or the default). */
static bool is_ours(const char *pattern, char **ret_config)
{
        if (pattern[0] != '|')
                return false;
        const char *sp = strchr(pattern, ' ');
        if (!sp || strncmp(sp, " capture ", 9) != 0)
                return false;
        size_t blen = (size_t)(sp - pattern - 1);
        const char *base = memrchr(pattern + 1, '/', blen);
        base = base ? base + 1 : pattern + 1;
        if ((size_t)(sp - base) != strlen("corecollect") || strncmp(base, "corecollect", 11) != 0)
                return false;
        const char *rest = sp + 9;
        if (strncmp(rest, "-c ", 3) == 0) {
                rest += 3;
                *ret_config = strndup(rest, strcspn(rest, " "));
        } else
                *ret_config = strdup(CONFIG_DEFAULT_PATH);
        return *ret_config != NULL;
}

int install_run(struct config *cfg, const char *config_path, const char *sysctl_dir)
{
        if (geteuid() != 0) {
                log_error("install needs root: it writes %s", CORE_PATTERN_PATH);
                return 1;
        }
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n < 0) {
                log_error("cannot find my own path: %m");
                return 1;
        }
        self[n] = '\0';
        if (config_path[0] != '/') {
                log_error("--config must be an absolute path: %s", config_path);
                return 1;
        }
        char pattern[512];
        int r = install_pattern(self, config_path, pattern, sizeof(pattern));
        if (r < 0) {
                install_pattern(self, config_path, pattern, sizeof(pattern));
                log_error("core_pattern would be %zu bytes, over the kernel's limit of %d: install "
                          "corecollect at a shorter path or use a shorter --config path",
                          strlen(pattern), CORE_PATTERN_MAX);
                return 1;
        }
        const char *store = cfg->store ? cfg->store : STORE_DEFAULT_PATH;
        int sfd;
        r = store_open(store, cfg->store_mode, &sfd);
        if (r == -EPERM) {
                log_error("store %s refused: it must be owned by root and not writable by group or "
                          "others (another user could replace or remove bundles)", store);
                return 1;
        }
        if (r < 0) {
                log_error("store %s is not a writable directory: %s", store, strerror(-r));
                return 1;
        }
        /* store_mode, not the umask's leftover or an older install's 0700:
         * with 0755 a user reaches the bundles their ACL entry grants */
        struct stat st;
        if (fstat(sfd, &st) == 0 && (st.st_mode & 07777) != cfg->store_mode && fchmod(sfd, cfg->store_mode) < 0)
                log_warning("store %s: cannot set mode %04o: %m", store, cfg->store_mode);
        close(sfd);
        if (!cfg->store && !(cfg->store = strdup(store)))
                return 1;

        _cleanup_free_ char *cur = NULL, *cur_limit = NULL, *cur_config = NULL;
        r = read_sysctl(sysctl_dir, "core_pattern", &cur);
        if (r == 0)
                r = read_sysctl(sysctl_dir, "core_pipe_limit", &cur_limit);
        if (r < 0) {
                log_error("cannot read %s/core_pattern: %s", sysctl_dir, strerror(-r));
                return 1;
        }
        bool already = is_ours(cur, &cur_config);
        if (already) {
                /* keep what the first install saved, so uninstall restores it */
                struct config old;
                config_defaults(&old);
                if (config_load(&old, cur_config) < 0 || !old.prev_core_pattern) {
                        config_free(&old);
                        log_error("corecollect is installed with %s but its saved state is "
                                  "unreadable; run `corecollect uninstall` or fix core_pattern by hand",
                                  cur_config);
                        return 1;
                }
                free(cfg->prev_core_pattern);
                free(cfg->prev_core_pipe_limit);
                cfg->prev_core_pattern = TAKE_PTR(old.prev_core_pattern);
                cfg->prev_core_pipe_limit = TAKE_PTR(old.prev_core_pipe_limit);
                config_free(&old);
                if (strcmp(cur_config, config_path) != 0 && unlink(cur_config) < 0 && errno != ENOENT)
                        log_warning("could not remove old config %s: %m", cur_config);
        } else {
                cfg->prev_core_pattern = strdup(cur);
                cfg->prev_core_pipe_limit = strdup(cur_limit);
        }
        r = config_save(cfg, config_path);
        if (r < 0) {
                log_error("cannot write config %s: %s", config_path, strerror(-r));
                return 1;
        }
        r = write_sysctl(sysctl_dir, "core_pattern", pattern);
        if (r < 0) {
                log_error("cannot set core_pattern: %s", strerror(-r));
                if (!already)
                        unlink(config_path);
                return 1;
        }
        uint64_t limit = 0;
        if (parse_u64(cur_limit, &limit) < 0 || limit == 0) {
                /* 0 means the kernel does not wait for us and /proc/PID may vanish */
                r = write_sysctl(sysctl_dir, "core_pipe_limit", "16");
                if (r < 0) {
                        log_error("cannot set core_pipe_limit: %s", strerror(-r));
                        write_sysctl(sysctl_dir, "core_pattern", cfg->prev_core_pattern);
                        if (!already)
                                unlink(config_path);
                        return 1;
                }
        }
        printf("%s: core_pattern=%s\nstore: %s\nconfig: %s\n",
               already ? "already installed, updated" : "installed", pattern, cfg->store, config_path);
        /* the kernel's OOM killer leaves no core: only the watcher sees those */
        printf("OOM kills leave no core; to capture them too, run `corecollect oom-watch` as a service\n"
               "(systemd: systemctl enable --now corecollect-oom-watch.service)\n");
        return already ? 2 : 0;
}

int uninstall_run(const char *sysctl_dir)
{
        if (geteuid() != 0) {
                log_error("uninstall needs root: it writes %s", CORE_PATTERN_PATH);
                return 1;
        }
        _cleanup_free_ char *cur = NULL, *conf_path = NULL;
        int r = read_sysctl(sysctl_dir, "core_pattern", &cur);
        if (r < 0) {
                log_error("cannot read core_pattern: %s", strerror(-r));
                return 1;
        }
        if (!is_ours(cur, &conf_path)) {
                printf("not installed: core_pattern is %s\n", cur);
                return 2;
        }
        struct config cfg;
        config_defaults(&cfg);
        r = config_load(&cfg, conf_path);
        if (r < 0 || !cfg.prev_core_pattern || !cfg.prev_core_pipe_limit) {
                config_free(&cfg);
                log_error("saved core_pattern not found in %s; set core_pattern by hand", conf_path);
                return 1;
        }
        r = write_sysctl(sysctl_dir, "core_pattern", cfg.prev_core_pattern);
        if (r == 0)
                r = write_sysctl(sysctl_dir, "core_pipe_limit", cfg.prev_core_pipe_limit);
        if (r < 0) {
                log_error("cannot restore core_pattern: %s", strerror(-r));
                config_free(&cfg);
                return 1;
        }
        printf("uninstalled: core_pattern=%s core_pipe_limit=%s\n", cfg.prev_core_pattern,
               cfg.prev_core_pipe_limit);
        if (unlink(conf_path) < 0 && errno != ENOENT)
                log_warning("could not remove %s: %m", conf_path);
        config_free(&cfg);
        return 0;
}
