// abort: an uncaught C++ exception (std::runtime_error) -> std::terminate
// -> abort. g++ -O0.
#include <stdexcept>
#include <string>

__attribute__((noinline)) static int load_config(const std::string &path)
{
        if (path.find(".conf") == std::string::npos)
                throw std::runtime_error("not a config file: " + path);
        return 0;
}

int main(int argc, char **argv)
{
        return load_config(argc > 1 ? argv[1] : "/etc/passwd");
}
