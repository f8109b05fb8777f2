# Sourced by the install scripts. apt_install NAME PACKAGE installs a Debian package with apt-get, as
# root or through sudo; errors start with NAME and say what to run by hand.
apt_install() {
  local name=$1 package=$2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$name: $package is not installed and this system has no apt-get; install $package with your package manager and run $name again" >&2
    return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$name: installing $package needs root (or sudo): apt-get install -y $package" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  echo "Installing $package (apt-get install -y $package) ..."
  if ! "${sudo[@]}" apt-get update -qq || ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$package" >/dev/null; then
    echo "$name: 'apt-get install -y $package' failed; see the output above" >&2
    return 1
  fi
}
