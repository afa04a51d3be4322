alert("js asset");
