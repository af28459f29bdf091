#include "pg_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

extern char** environ;

namespace lanewise::audit::testing {
namespace {

namespace fs = std::filesystem;

// The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin).
std::string PgBinDir() {
  std::string best;
  int best_major = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int major = std::atoi(entry.path().filename().c_str());
    if (major > best_major && fs::exists(entry.path() / "bin" / "postgres")) {
      best_major = major;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// argv run as `nobody` when we are root (through setpriv, util-linux).
std::vector<std::string> AsUnprivileged(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
                                      "--clear-groups", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

int Spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int RunToEnd(const std::vector<std::string>& argv, const std::string& log) {
  const int pid = Spawn(argv, log);
  if (pid < 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ConnInfo(int port, const std::string& db) {
  return "host=127.0.0.1 port=" + std::to_string(port) + " user=lanewise dbname=" + db +
         " connect_timeout=5";
}

}  // namespace

PgServer& PgServer::Get() {
  static PgServer server;
  return server;
}

PgServer::PgServer() {
  const std::string bin = PgBinDir();
  if (bin.empty()) {
    error_ = "no PostgreSQL server under /usr/lib/postgresql (scripts/install-deps.sh)";
    return;
  }
  char tmpl[] = "/tmp/lanewise-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  if (geteuid() == 0) {
    const passwd* nobody = getpwnam("nobody");
    if (nobody == nullptr || chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0) {
      error_ = "cannot hand " + dir_ + " to nobody";
      return;
    }
  }
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/server.log";
  if (RunToEnd(AsUnprivileged({bin + "/initdb", "-D", data, "-U", "lanewise", "--auth=trust", "-E",
                               "UTF8", "--no-sync", "--no-instructions"}),
               "/dev/null") != 0) {
    error_ = "initdb failed";
    return;
  }
  for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
    port_ = FreePort();
    pid_ = Spawn(AsUnprivileged({bin + "/postgres", "-D", data, "-p", std::to_string(port_), "-k",
                                 dir_, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"}),
                 log);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pid_ > 0 && PQping(ConnInfo(port_, "postgres").c_str()) != PQPING_OK) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_ || std::chrono::steady_clock::now() > deadline) {
        if (kill(pid_, 0) == 0) kill(pid_, SIGKILL);
        pid_ = -1;  // exited (port taken?) or too slow: try another port
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (pid_ <= 0) error_ = "postgres did not start; see " + log;
}

PgServer::~PgServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string PgServer::CreateDatabase() {
  const std::string name = "audit_test_" + std::to_string(++databases_);
  PGconn* conn = PQconnectdb(ConnInfo(port_, "postgres").c_str());
  PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  PQclear(result);
  PQfinish(conn);
  return ConnInfo(port_, name);
}

}  // namespace lanewise::audit::testing
