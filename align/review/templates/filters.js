(function(){
  var form=document.getElementById('filters'); if(!form) return; form.classList.remove('hidden');
  function rows(){return [].slice.call(document.querySelectorAll('tr[data-id]'));}
  function val(n){var e=form.elements[n];return e?e.value:'';}
  function filter(){
    var lo=parseFloat(val('qmin')), hi=parseFloat(val('qmax')), m=val('method'), s=val('shape'), r=val('rule'), d=val('doc'), t=val('text').toLowerCase(), u=form.elements['unaligned'].checked;
    var all=rows();
    all.forEach(function(row){
      var ds=row.dataset, q=parseFloat(ds.quality), ok=true;
      if(ds.kind!=='unaligned'){
        if(!isNaN(lo)&&q<lo) ok=false; if(!isNaN(hi)&&q>hi) ok=false;
        if(m&&ds.method!==m) ok=false; if(s&&ds.shape!==s) ok=false;
        if(r==='none'&&ds.rule) ok=false; if(r&&r!=='none'&&(' '+ds.rule+' ').indexOf(' '+r+' ')<0) ok=false;
        if(ds.kind==='candidate'&&!u) ok=false;
      } else if(!u||m||s||(r&&r!=='none')) ok=false;
      if(d&&ds.doc.indexOf(d)<0) ok=false;
      if(t&&row.textContent.toLowerCase().indexOf(t)<0) ok=false;
      row.classList.toggle('hidden',!ok);
    });
    var shown=all.filter(function(x){return !x.classList.contains('hidden');}).length;
    document.getElementById('shown').textContent=shown+' of '+all.length+' rows shown';
  }
  function order(){
    var how=val('order')||'document';
    [].forEach.call(document.querySelectorAll('table.rows.editable'),function(table){
      var body=table.tBodies[0], rs=[].slice.call(body.rows);
      var key={document:function(x){return parseFloat(x.dataset.pos);},
               suspect:function(x){return -parseFloat(x.dataset.suspect||'-1');},
               quality:function(x){var q=parseFloat(x.dataset.quality);return isNaN(q)?2:q;}}[how];
      rs.sort(function(a,b){return (key(a)-key(b))||(parseFloat(a.dataset.pos)-parseFloat(b.dataset.pos));});
      rs.forEach(function(x){body.appendChild(x);});
      table.dataset.order=how;
    });
  }
  form.addEventListener('input',filter); form.addEventListener('change',function(e){if(e.target.name==='order') order(); filter();});
  document.addEventListener('align:rows',filter);
  filter();
})();
